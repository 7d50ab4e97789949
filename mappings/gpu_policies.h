// The GPU mappings that published kernels would launch for a problem, so that the model can predict
// them: FlashAttention-2 without splitting, FlashAttention-2 as PyTorch's SDPA flash backend calls
// it (split count from its heuristic), FlashDecoding (the split-KV kernel with a combine), and
// LeanAttention (a persistent stream-K grid). Each is written from the libraries' public
// descriptions: tile shapes, warps, split rule, grid size.
#pragma once
#include <string>
#include <vector>

#include "arch/gpu.h"
#include "mappings/attention_problem.h"
#include "mappings/gpu_mapping.h"

namespace mappings {

// FlashAttention-2's forward kernel, one CTA per (batch, head, 128-row query block): 128x128 tiles
// for head dimensions up to 64, 128x64 up to 128 (4 warps), 128x64 with 8 warps above.
GpuMapping fa2_mapping(const AttentionProblem& p);
// The split-KV kernel: 64-row blocks of 256/128/64 keys, 4 warps; `splits` ranges of the context.
GpuMapping fa2_split_mapping(const AttentionProblem& p, std::int64_t splits);
// What PyTorch's SDPA flash backend launches: the split-KV kernel when the heuristic picks more than
// one split, else the plain forward kernel.
GpuMapping sdpa_flash_mapping(const AttentionProblem& p, const arch::GpuArch& g);
// FlashDecoding as flash_attn_with_kvcache runs it: always the split-KV kernel, splits from the
// heuristic unless given (splits > 0).
GpuMapping flashdecoding_mapping(const AttentionProblem& p, const arch::GpuArch& g, std::int64_t splits = 0);
// LeanAttention as its authors' launcher sizes it: the split kernel's tiles, GQA packed, two resident
// CTAs per SM (fewer when two do not fit; `ctas_per_sm` when > 0) and the grid of leanattention_grid().
GpuMapping leanattention_mapping(const AttentionProblem& p, const arch::GpuArch& g, std::int64_t ctas_per_sm = 0);
// LeanAttention's grid for a mapping's tiles: every resident slot (ctas_per_sm x SMs) when the work is
// large; when that grid would leave a CTA two tiles or fewer, half as many CTAs as tiles (each CTA at
// least two tiles, so its reduction pays off); never more than 32 CTAs on one row block's tiles; never
// more CTAs than tiles.
std::int64_t leanattention_grid(const AttentionProblem& p, const GpuMapping& m, const arch::GpuArch& g);

// Names accepted by gpu_policy(): fa2, sdpa, flashdecoding, leanattention.
std::vector<std::string> gpu_policy_names();
// Throws einsum::InputError for an unknown name.
GpuMapping gpu_policy(const std::string& name, const AttentionProblem& p, const arch::GpuArch& g);

} // namespace mappings
