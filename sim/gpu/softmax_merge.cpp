#include "sim/gpu/softmax_merge.h"

#include <cmath>

namespace sim::gpu {

SoftmaxPartial SoftmaxPartial::identity(std::size_t features) {
    SoftmaxPartial p;
    p.numerator.assign(features, 0.0);
    return p;
}

SoftmaxPartial partial_over(const std::vector<double>& scores, const std::vector<std::vector<double>>& values, std::size_t first,
                            std::size_t last) {
    std::size_t features = values.empty() ? 0 : values.front().size();
    SoftmaxPartial p = SoftmaxPartial::identity(features);
    for (std::size_t m = first; m < last; ++m) p.max = std::max(p.max, scores[m]);
    if (first >= last) return p;
    for (std::size_t m = first; m < last; ++m) {
        double w = std::exp(scores[m] - p.max);
        p.sum += w;
        for (std::size_t f = 0; f < features; ++f) p.numerator[f] += w * values[m][f];
    }
    return p;
}

SoftmaxPartial merge(const SoftmaxPartial& a, const SoftmaxPartial& b) {
    SoftmaxPartial out;
    out.max = std::max(a.max, b.max);
    out.numerator.assign(std::max(a.numerator.size(), b.numerator.size()), 0.0);
    if (std::isinf(out.max) && out.max < 0) return out; // both empty
    double sa = std::exp(a.max - out.max), sb = std::exp(b.max - out.max); // exp(-inf) = 0 drops an empty side
    out.sum = a.sum * sa + b.sum * sb;
    for (std::size_t f = 0; f < out.numerator.size(); ++f)
        out.numerator[f] = (f < a.numerator.size() ? a.numerator[f] * sa : 0.0) + (f < b.numerator.size() ? b.numerator[f] * sb : 0.0);
    return out;
}

std::vector<double> finalize(const SoftmaxPartial& p) {
    std::vector<double> out(p.numerator.size());
    for (std::size_t f = 0; f < out.size(); ++f) out[f] = p.numerator[f] / p.sum;
    return out;
}

} // namespace sim::gpu
