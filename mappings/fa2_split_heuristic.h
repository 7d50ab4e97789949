// FlashAttention-2's rule for how many splits of the context a forward call uses (its split-KV
// path, which PyTorch's SDPA flash backend and flash_attn_with_kvcache take), written here from the
// public description of the rule so that the model can predict what the library would launch.
#pragma once
#include <cstdint>

#include "arch/gpu.h"
#include "mappings/attention_problem.h"

namespace mappings {

// The rule itself. `units`: CTAs without splitting (batch x heads x query-row blocks); `slots`: CTAs
// that run at once (FlashAttention-2 passes 2 x SMs for its 128-thread CTAs); `n_blocks`: key
// blocks of the context; `max_splits`: an upper bound (128).
// With units >= 0.8 slots it returns 1. Otherwise, for each split count s up to
// min(max_splits, slots, n_blocks) it scores the wave efficiency  w / ceil(w),  w = units·s / slots,
// skipping an s whose blocks per split (ceil(n_blocks / s)) equal those of s - 1 (it would give the
// same cut), and returns the smallest s scoring at least 85% of the best.
std::int64_t fa2_num_splits(std::int64_t units, std::int64_t slots, std::int64_t n_blocks, std::int64_t max_splits = 128);
// The wave efficiency the rule scores (0 for an ineligible split count).
double fa2_split_efficiency(std::int64_t units, std::int64_t slots, std::int64_t n_blocks, std::int64_t splits);

// What FlashAttention-2 feeds the rule for a problem: the key block of its split kernel
// (256 keys for head dimensions up to 64, 128 up to 128, 64 above), 64-row query blocks, and, in
// decode with grouped-query attention, the query heads of a group packed as rows of one block.
struct Fa2SplitInputs {
    std::int64_t units = 0, slots = 0, n_blocks = 0, block_n = 0;
    bool gqa_packed = false;
};
Fa2SplitInputs fa2_split_inputs(const AttentionProblem& p, const arch::GpuArch& g);
std::int64_t fa2_block_n_split(std::int64_t head_dim);
// FlashAttention-2 packs the query heads of a group as rows when P = 1 and H > Hkv.
bool fa2_packs_gqa(const AttentionProblem& p);

} // namespace mappings
