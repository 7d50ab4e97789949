#include "mappings/gpu_policies.h"

#include <algorithm>

#include "einsum/input_error.h"
#include "mappings/fa2_split_heuristic.h"
#include "mappings/gpu_legality.h"

namespace mappings {

GpuMapping fa2_mapping(const AttentionProblem& p) {
    GpuMapping m;
    m.name = "fa2";
    m.decomposition = Decomposition::data_parallel;
    m.tile_q = 128;
    m.tile_kv = p.E <= 64 ? 128 : 64;
    m.warps = p.E <= 128 ? 4 : 8;
    m.stages = 1; // K and V alternate: one is loaded while the other is used
    m.gqa_pack = fa2_packs_gqa(p);
    return m;
}

GpuMapping fa2_split_mapping(const AttentionProblem& p, std::int64_t splits) {
    GpuMapping m;
    m.name = "fa2-split";
    m.decomposition = Decomposition::split_k;
    m.splits = splits;
    m.tile_q = 64;
    m.tile_kv = fa2_block_n_split(p.E);
    m.warps = 4;
    m.stages = 1;
    m.gqa_pack = fa2_packs_gqa(p);
    return m;
}

GpuMapping sdpa_flash_mapping(const AttentionProblem& p, const arch::GpuArch& g) {
    Fa2SplitInputs in = fa2_split_inputs(p, g);
    std::int64_t s = fa2_num_splits(in.units, in.slots, in.n_blocks);
    GpuMapping m = s > 1 ? fa2_split_mapping(p, s) : fa2_mapping(p);
    m.name = "sdpa-flash";
    return m;
}

GpuMapping flashdecoding_mapping(const AttentionProblem& p, const arch::GpuArch& g, std::int64_t splits) {
    if (splits <= 0) {
        Fa2SplitInputs in = fa2_split_inputs(p, g);
        splits = fa2_num_splits(in.units, in.slots, in.n_blocks);
    }
    GpuMapping m = fa2_split_mapping(p, splits);
    m.name = "flashdecoding";
    return m;
}

GpuMapping leanattention_mapping(const AttentionProblem& p, const arch::GpuArch& g, std::int64_t ctas_per_sm) {
    GpuMapping m = fa2_split_mapping(p, 1);
    m.name = "leanattention";
    m.decomposition = Decomposition::stream_k;
    m.splits = 1;
    m.gqa_pack = p.H > p.Hkv;
    m.ctas_per_sm = 0;
    // The launcher asks for two CTAs per SM whatever fits (its kernels fit two on A100 and H100).
    m.ctas_per_sm = ctas_per_sm > 0 ? ctas_per_sm : std::min<std::int64_t>(2, std::max<std::int64_t>(1, gpu_resources(m, p, g).ctas_per_sm));
    m.grid_ctas = leanattention_grid(p, m, g);
    return m;
}

std::int64_t leanattention_grid(const AttentionProblem& p, const GpuMapping& m, const arch::GpuArch& g) {
    auto ceil_div = [](std::int64_t a, std::int64_t b) { return (a + b - 1) / b; };
    const bool packed = m.gqa_pack && p.H > p.Hkv;
    const std::int64_t rows = packed ? p.P * p.group() : p.P;
    const std::int64_t row_blocks = p.B * (packed ? p.Hkv : p.H) * ceil_div(rows, std::max<std::int64_t>(1, m.tile_q));
    const std::int64_t tiles = row_blocks * ceil_div(p.M, std::max<std::int64_t>(1, m.tile_kv));
    GpuMapping unlimited = m;
    unlimited.ctas_per_sm = 0;
    const std::int64_t fit = gpu_resources(unlimited, p, g).ctas_per_sm;
    const std::int64_t per_sm = m.ctas_per_sm > 0 ? std::min(m.ctas_per_sm, std::max<std::int64_t>(fit, 1)) : fit;
    const std::int64_t full = std::max<std::int64_t>(1, per_sm) * g.sm_count;
    // A CTA's partial costs a store, a flag and a share of the host's reduction: with little work the
    // launcher trades CTAs for at least two tiles each; a row block is never cut more than 32 ways.
    std::int64_t grid = tiles <= 2 * full ? std::min(ceil_div(tiles, 2), 32 * row_blocks) : std::min(full, 32 * row_blocks);
    return std::max<std::int64_t>(1, std::min(grid, tiles));
}

std::vector<std::string> gpu_policy_names() { return {"fa2", "sdpa", "flashdecoding", "leanattention"}; }

GpuMapping gpu_policy(const std::string& name, const AttentionProblem& p, const arch::GpuArch& g) {
    if (name == "fa2") return fa2_mapping(p);
    if (name == "sdpa") return sdpa_flash_mapping(p, g);
    if (name == "flashdecoding") return flashdecoding_mapping(p, g);
    if (name == "leanattention") return leanattention_mapping(p, g);
    throw einsum::InputError({"--policy", 0, 0, ""}, "unknown GPU policy '" + name + "' (expected fa2, sdpa, flashdecoding, leanattention)");
}

} // namespace mappings
