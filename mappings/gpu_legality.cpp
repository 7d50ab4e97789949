#include "mappings/gpu_legality.h"

#include <algorithm>

#include "einsum/input_error.h"
#include "mappings/work_layout.h"

namespace mappings {

namespace {

constexpr std::int64_t max_registers_per_thread = 255;
constexpr std::int64_t register_allocation_unit = 256; // registers are allocated per warp in units of 256
constexpr std::int64_t reserved_shared_bytes = 1024;   // the driver reserves 1 KB of shared memory per CTA (sm80+)
constexpr std::int64_t mma_rows = 16;                   // one warp's MMA covers 16 query rows

std::string num(std::int64_t v) { return std::to_string(v); }

void cluster_violations(const GpuMapping& m, const AttentionProblem& p, const arch::GpuArch& g, const GpuResources& r,
                        std::vector<std::string>& v) {
    const std::int64_t c = m.cluster;
    if (c < 2) return v.push_back("cluster = " + num(c) + " must be 0 (no clusters) or at least 2 CTAs");
    if (m.decomposition != Decomposition::stream_k)
        return v.push_back("cluster applies to stream_k only (a row block's CTAs fold their states through distributed shared memory)");
    if (g.clusters.max_ctas == 0) return v.push_back("this GPU has no thread-block clusters");
    if (c > g.clusters.max_ctas)
        return v.push_back("cluster = " + num(c) + " exceeds the " + num(g.clusters.max_ctas) + " CTAs a cluster may have");
    const WorkLayout w = work_layout(p, m);
    const std::int64_t grid = m.grid_ctas > 0 ? m.grid_ctas : r.ctas_per_sm * g.sm_count;
    if (grid != w.row_blocks * c)
        v.push_back("clusters of " + num(c) + " need every row block cut into " + num(c) + " ranges: a grid of " + num(w.row_blocks * c) +
                    " CTAs (" + num(w.row_blocks) + " row blocks x " + num(c) + "), not " + num(grid));
    if (w.tiles % c != 0)
        v.push_back("clusters of " + num(c) + " need equal ranges: " + num(c) + " must divide a row block's " + num(w.tiles) + " key tiles");
    if (p.F % (4 * c) != 0)
        v.push_back("each of a cluster's " + num(c) + " CTAs folds F / " + num(c) + " output columns in groups of 4: 4 x " + num(c) +
                    " must divide F = " + num(p.F));
    // Every cluster on SMs of its own: where some must share SMs (or wait for a second wave), the
    // H200 ran them 3-18% slower than the same grid unclustered while this model, which lets two
    // latency-bound CTAs share an SM at no cost, timed them faster (validation/h200-2026-12-01o).
    const std::int64_t fit = g.clusters.co_resident(c, 1);
    if (w.row_blocks > fit)
        v.push_back("the " + num(w.row_blocks) + " clusters of " + num(c) + " CTAs exceed the " + num(fit) +
                    " that the GPCs hold one CTA an SM: the others would share SMs or wait");
}

} // namespace

std::int64_t kv_buffer_sets(std::int64_t stages) { return 1 + std::max<std::int64_t>(stages, 1) / 2; }

std::int64_t kv_tiles(const GpuMapping& m, const AttentionProblem& p) { return (p.M + m.tile_kv - 1) / m.tile_kv; }

GpuResources gpu_resources(const GpuMapping& m, const AttentionProblem& p, const arch::GpuArch& g) {
    GpuResources r;
    r.threads = m.threads();
    r.shared_memory_bytes = p.element_bytes * (m.tile_q * p.E + kv_buffer_sets(m.stages) * m.tile_kv * (p.E + p.F));
    // A clustered stream-K CTA also keeps a receive buffer of tile_q rows.
    if (m.cluster > 1) r.shared_memory_bytes += m.tile_q * cluster_receive_row_bytes(p.F, m.cluster);
    // fp32 accumulators held in registers across the CTA's threads: the output rows (tile_q x F) and
    // one tile of scores (tile_q x tile_kv); plus about 40 for addresses, indices and softmax state.
    // Warps along the key tile keep an output accumulator each.
    std::int64_t accumulators = m.tile_q * (p.F * std::max<std::int64_t>(m.warps_kv, 1) + m.tile_kv);
    r.registers_per_thread = (accumulators + r.threads - 1) / std::max<std::int64_t>(r.threads, 1) + 40;
    r.registers_per_thread = (r.registers_per_thread + 7) / 8 * 8;

    const auto& sm = g.sm;
    struct Limit { std::int64_t ctas; const char* why; };
    std::int64_t per_warp = (r.registers_per_thread * 32 + register_allocation_unit - 1) / register_allocation_unit * register_allocation_unit;
    Limit limits[] = {
        {sm.max_ctas, "max_ctas"},
        {r.threads > 0 ? sm.max_threads / r.threads : 0, "threads"},
        {sm.shared_memory_bytes / (r.shared_memory_bytes + reserved_shared_bytes), "shared_memory"},
        {per_warp * m.warps > 0 ? sm.registers_32bit / (per_warp * m.warps) : 0, "registers"},
    };
    r.ctas_per_sm = limits[0].ctas;
    r.occupancy_limit = limits[0].why;
    for (const Limit& l : limits)
        if (l.ctas < r.ctas_per_sm) r.ctas_per_sm = l.ctas, r.occupancy_limit = l.why;
    if (m.ctas_per_sm > 0 && m.ctas_per_sm < r.ctas_per_sm) r.ctas_per_sm = m.ctas_per_sm, r.occupancy_limit = "mapping";
    return r;
}

std::vector<std::string> gpu_violations(const GpuMapping& m, const AttentionProblem& p, const arch::GpuArch& g) {
    std::vector<std::string> v;
    if (m.tile_q <= 0 || m.tile_q % mma_rows != 0) v.push_back("tile_q = " + num(m.tile_q) + " must be a positive multiple of 16 (MMA rows)");
    if (m.tile_kv <= 0 || m.tile_kv % mma_rows != 0) v.push_back("tile_kv = " + num(m.tile_kv) + " must be a positive multiple of 16");
    if (m.warps < 1 || m.warps > 32) v.push_back("warps = " + num(m.warps) + " must be between 1 and 32");
    if (m.stages < 1) v.push_back("stages = " + num(m.stages) + " must be at least 1");
    if (m.warps_kv < 1 || m.warps % std::max<std::int64_t>(m.warps_kv, 1) != 0)
        v.push_back("warps_kv = " + num(m.warps_kv) + " must divide the " + num(m.warps) + " warps");
    if (!v.empty()) return v;
    if (m.tile_kv % (mma_rows * m.warps_kv) != 0)
        v.push_back("tile_kv = " + num(m.tile_kv) + " must split into " + num(m.warps_kv) + " warp slices of a multiple of 16 keys");
    if (m.tile_q < mma_rows * (m.warps / m.warps_kv))
        v.push_back("tile_q = " + num(m.tile_q) + " gives each of the " + num(m.warps / m.warps_kv) +
                    " warps along the rows fewer than 16 query rows (warps split the rows, as in FlashAttention-2)");
    GpuResources r = gpu_resources(m, p, g);
    if (r.threads > g.sm.max_threads || r.threads > 1024) v.push_back(num(r.threads) + " threads per CTA exceed the limit");
    if (r.shared_memory_bytes > g.sm.shared_memory_bytes_per_block)
        v.push_back("the CTA needs " + num(r.shared_memory_bytes) + " bytes of shared memory (Q tile and " + num(kv_buffer_sets(m.stages)) +
                    " K/V buffer sets); a CTA may have " + num(g.sm.shared_memory_bytes_per_block));
    if (r.registers_per_thread > max_registers_per_thread)
        v.push_back("the accumulators need about " + num(r.registers_per_thread) + " registers per thread (at most 255); use more warps or a smaller tile");
    if (v.empty() && r.ctas_per_sm < 1) v.push_back("no CTA of this mapping fits on an SM");
    std::int64_t tiles = kv_tiles(m, p);
    if (m.decomposition == Decomposition::split_k && (m.splits < 1 || m.splits > tiles))
        v.push_back("splits = " + num(m.splits) + " must be between 1 and the " + num(tiles) + " key tiles of the context");
    if (m.decomposition == Decomposition::stream_k) {
        if (m.grid_ctas < 0) v.push_back("grid_ctas = " + num(m.grid_ctas) + " must not be negative");
        std::int64_t resident = r.ctas_per_sm * g.sm_count;
        std::int64_t grid = m.grid_ctas > 0 ? m.grid_ctas : r.ctas_per_sm * g.sm_count;
        if (m.ctas_per_sm > 0 && r.occupancy_limit != "mapping" && m.ctas_per_sm > r.ctas_per_sm)
            v.push_back("stream_k asks for " + num(m.ctas_per_sm) + " CTAs per SM but only " + num(r.ctas_per_sm) + " fit (" +
                        r.occupancy_limit + ")");
        else if (grid > resident && r.ctas_per_sm > 0)
            v.push_back("the stream-K grid of " + num(grid) + " CTAs exceeds the " + num(resident) +
                        " that can be resident at once; its CTAs wait on each other's flags, so it would deadlock");
    }
    if (m.cluster != 0) cluster_violations(m, p, g, r, v);
    return v;
}

void check_gpu_legal(const GpuMapping& m, const AttentionProblem& p, const arch::GpuArch& g) {
    std::vector<std::string> v = gpu_violations(m, p, g);
    if (v.empty()) return;
    std::string text = "illegal GPU mapping (" + describe(m) + ") for " + p.str() + ":";
    for (const auto& s : v) text += "\n  - " + s;
    throw einsum::InputError({"--decomposition", 0, 0, "mapping"}, text);
}

} // namespace mappings
