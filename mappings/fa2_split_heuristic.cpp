#include "mappings/fa2_split_heuristic.h"

#include <algorithm>
#include <cmath>

namespace mappings {

namespace {
std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

bool eligible(std::int64_t n_blocks, std::int64_t s) { return s == 1 || ceil_div(n_blocks, s) != ceil_div(n_blocks, s - 1); }
} // namespace

double fa2_split_efficiency(std::int64_t units, std::int64_t slots, std::int64_t n_blocks, std::int64_t splits) {
    if (units <= 0 || slots <= 0 || splits <= 0 || !eligible(n_blocks, splits)) return 0.0;
    // Single precision, as the library computes it, so that near-ties resolve the same way.
    float waves = float(units * splits) / float(slots);
    return double(waves / std::ceil(waves));
}

std::int64_t fa2_num_splits(std::int64_t units, std::int64_t slots, std::int64_t n_blocks, std::int64_t max_splits) {
    if (units <= 0 || slots <= 0 || n_blocks <= 0) return 1;
    if (float(units) >= 0.8f * float(slots)) return 1;
    std::int64_t cap = std::min({max_splits, slots, n_blocks});
    double best = 0;
    for (std::int64_t s = 1; s <= cap; ++s) best = std::max(best, fa2_split_efficiency(units, slots, n_blocks, s));
    for (std::int64_t s = 1; s <= cap; ++s)
        if (eligible(n_blocks, s) && fa2_split_efficiency(units, slots, n_blocks, s) >= 0.85 * best) return s;
    return 1;
}

std::int64_t fa2_block_n_split(std::int64_t head_dim) { return head_dim <= 64 ? 256 : head_dim <= 128 ? 128 : 64; }

bool fa2_packs_gqa(const AttentionProblem& p) { return p.P == 1 && p.H > p.Hkv; }

Fa2SplitInputs fa2_split_inputs(const AttentionProblem& p, const arch::GpuArch& g) {
    Fa2SplitInputs in;
    in.gqa_packed = fa2_packs_gqa(p);
    std::int64_t rows = in.gqa_packed ? p.group() : p.P;
    std::int64_t heads = in.gqa_packed ? p.Hkv : p.H;
    in.units = p.B * heads * ceil_div(rows, 64);
    in.slots = 2 * g.sm_count;
    in.block_n = fa2_block_n_split(p.E);
    in.n_blocks = ceil_div(p.M, in.block_n);
    return in;
}

} // namespace mappings
