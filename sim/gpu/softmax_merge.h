// The partial result of attention over a range of keys — running max, denominator and numerator —
// and the associative merge that split-K's combine kernel and stream-K's in-kernel reduction apply:
// each partial is rescaled by exp(max_s - max) and summed. Used by the model's tests to check that
// the decompositions it times compute attention.
#pragma once
#include <cstddef>
#include <limits>
#include <vector>

namespace sim::gpu {

struct SoftmaxPartial {
    double max = -std::numeric_limits<double>::infinity(); //: the identity (no keys)
    double sum = 0;          // sum over the range of exp(score - max)
    std::vector<double> numerator; // sum of exp(score - max) * V[f], one per value feature

    static SoftmaxPartial identity(std::size_t features);
};

// The partial of one query row over keys [first, last): scores[m] and values[m][f].
SoftmaxPartial partial_over(const std::vector<double>& scores, const std::vector<std::vector<double>>& values, std::size_t first,
                            std::size_t last);
// Associative and commutative (up to rounding); identity() is its neutral element.
SoftmaxPartial merge(const SoftmaxPartial& a, const SoftmaxPartial& b);
// The attention output of a fully merged partial: numerator / sum.
std::vector<double> finalize(const SoftmaxPartial& p);

} // namespace sim::gpu
