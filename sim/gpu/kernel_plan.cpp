#include "sim/gpu/kernel_plan.h"

#include <algorithm>
#include <cmath>

#include "mappings/gpu_legality.h"
#include "sim/gpu/work_partition.h"

namespace sim::gpu {

using mappings::AttentionProblem;
using mappings::Decomposition;
using mappings::GpuMapping;

const char* name(PhaseKind k) {
    switch (k) {
    case PhaseKind::start: return "cta_start";
    case PhaseKind::load_q: return "q_load";
    case PhaseKind::stream: return "main_loop";
    case PhaseKind::merge: return "warp_merge";
    case PhaseKind::store_output: return "output_store";
    case PhaseKind::store_partial: return "partial_store";
    case PhaseKind::wait: return "flag_wait";
    case PhaseKind::reduce: return "reduction";
    case PhaseKind::push: return "dsmem_push";
    }
    return "?";
}

namespace {

constexpr double partial_scalars_bytes = 8; // fp32 running max and denominator per row
constexpr double combine_loads_in_flight = 4; // FlashAttention-2's combine: loads of its loop over splits in flight (unrolled by 4)

// Fraction of a key tile's bytes that come from HBM: CTAs that read the same tile at about the same
// time (consecutive in launch order and resident together) share one HBM read through L2.
double l2_miss_fraction(const AttentionProblem& p, const GpuMapping& m, const WorkLayout& w, std::int64_t slots, std::int64_t splits,
                        const arch::GpuArch& g) {
    bool packed = m.gqa_pack && p.H > p.Hkv;
    std::int64_t group = packed ? 1 : p.group(); // query heads reading one KV head from different CTAs
    std::int64_t sharers = std::min(w.blocks_per_head, slots);
    if (m.decomposition == Decomposition::stream_k) {
        // CTAs hold different offsets into a head, so sharers do not run in lockstep; the tiles are
        // reused only when a head's keys and values stay in L2 until the others reach them.
        double head_bytes = double(p.M) * double(p.E + p.F) * double(p.element_bytes);
        if (head_bytes * double(group) > 0.5 * double(g.l2.capacity_bytes)) sharers = 1;
        return 1.0 / double(std::max<std::int64_t>(1, sharers * group));
    }
    // Launch order: row blocks of a head fastest, then (data-parallel) batch or (split-K) split, then head.
    std::int64_t head_stride = w.blocks_per_head * (m.decomposition == Decomposition::split_k ? splits : p.B);
    std::int64_t heads_together = group > 1 ? std::min(group, 1 + (slots - 1) / std::max<std::int64_t>(1, head_stride)) : 1;
    return 1.0 / double(std::max<std::int64_t>(1, sharers * heads_together));
}

Phase phase_of(PhaseKind kind) {
    Phase ph;
    ph.kind = kind;
    return ph;
}
Phase start_phase() { return phase_of(PhaseKind::start); }
Phase io_phase(PhaseKind kind, double bytes, double round_trips) {
    Phase ph = phase_of(kind);
    ph.bytes = bytes;
    ph.round_trips = round_trips;
    return ph;
}
Phase work_phase(PhaseKind kind, double bytes, double round_trips, double work_s) {
    Phase ph = io_phase(kind, bytes, round_trips);
    ph.work_s = work_s;
    return ph;
}
Phase stream_phase(double tiles, int tile) {
    Phase ph = phase_of(PhaseKind::stream);
    ph.tiles = tiles;
    ph.tile = tile;
    return ph;
}

} // namespace

LaunchPlan plan_launch(const AttentionProblem& p, const GpuMapping& m, const arch::GpuArch& g) {
    mappings::check_gpu_legal(m, p, g);
    LaunchPlan plan;
    mappings::GpuResources res = mappings::gpu_resources(m, p, g);
    plan.occupancy_limit = res.occupancy_limit;
    WorkLayout w = work_layout(p, m);
    const double elem = double(p.element_bytes);
    const std::int64_t slots = res.ctas_per_sm * g.sm_count;
    const std::int64_t splits = m.decomposition == Decomposition::split_k ? m.splits : 1;

    TileWork tile;
    tile.bytes = double(p.M) / double(w.tiles) * double(p.E + p.F) * elem;
    tile.hbm_bytes = tile.bytes * l2_miss_fraction(p, m, w, slots, splits, g);
    tile.mma_flops = 2.0 * double(m.tile_q) * double(m.tile_kv) * double(p.E + p.F);
    tile.exps = double(m.tile_q) * double(m.tile_kv);
    tile.fp32_ops = 4.0 * double(m.tile_q) * double(m.tile_kv) + double(m.tile_q) * double(p.F);
    tile.loads = 2;
    tile.stages = double(m.stages);
    // Each warp copies its share of the tile and computes on the same slices; with the K/V pipeline
    // one tile ahead, the chain of the step it waits on is not hidden (arch/gpu.h, warp_chain_*).
    const double warps = double(std::max<std::int64_t>(1, m.warps));
    auto warp_chain_s = [&](double steps, double bytes_per_warp) {
        return (steps * g.sm.warp_tile_chain_cycles + bytes_per_warp / 1024.0 * g.sm.warp_chain_cycles_per_kib) / (g.boost_clock_mhz * 1e6);
    };
    tile.warp_chain_s = warp_chain_s(1, tile.bytes / warps);
    tile.warp_issue_s = tile.warp_chain_s - warp_chain_s(1, 0);
    tile.warps = warps;

    const double rows = double(w.rows_per_head) / double(w.blocks_per_head); // average valid rows of a block
    const double q_bytes = rows * double(p.E) * elem;
    const double out_bytes = rows * double(p.F) * elem;
    const double partial_bytes = rows * (double(p.F) * 4.0 + partial_scalars_bytes);
    // Q and the first K/V tile arrive behind one memory round trip before the pipeline runs; after
    // the loop, warps side by side along the keys merge their fp32 states through shared memory, a
    // chain like a tile's over the states' bytes: each warp writes the state of the block's valid
    // rows (not the padding up to tile_q), then the warps read all of them back.
    // The first tile lands no sooner than a round trip and one step of the chain: phase stamps
    // (einsim-gpu run --stamps, validation/h200-2026-11-30c/stamps.csv) put Q and the first 32 KiB
    // tile 0.9 us after a segment starts for one CTA alone, 1.3 us with 8 CTAs and 2.0 us with 128,
    // where an idle round trip is 0.34 us and a chain step at E = 128 1.0 us.
    const double fill_bytes = q_bytes + tile.bytes;
    auto fill_phase = [&]() { return work_phase(PhaseKind::load_q, fill_bytes, 1, tile.warp_chain_s); };
    const double merge_s = m.warps_kv > 1 ? warp_chain_s(1, 2.0 * rows * double(p.F) * 4.0 * double(m.warps_kv) / warps) : 0.0;
    auto merge_phase = [&]() { return work_phase(PhaseKind::merge, 0, 0, merge_s); };
    // Folding n partials (einsim-gpu's fold_partials_batched): 16 at a time; per chunk, one round
    // trip for the partials' maxima and sums, a step of warp work (barriers, the weights'
    // exponentials), then one round trip for each float4 of the valid rows a thread owns (its
    // float4 of all 16 partials in flight at once).
    auto fold = [&](double n, double fold_threads) {
        double trips = 0, chunks = 0;
        const double per_thread = std::ceil(rows * double(p.F) / 4.0 / fold_threads); // float4s of the valid rows
        for (double left = n; left > 0; left -= 16.0, chunks += 1) trips += 1.0 + per_thread;
        return std::make_pair(trips, warp_chain_s(chunks, 0));
    };

    KernelPlan k;
    k.name = "attention";
    k.tiles = {tile};
    k.ctas_per_sm = res.ctas_per_sm;
    const double tiles_total = double(w.row_blocks) * double(w.tiles);
    k.hbm_read_bytes = tiles_total * tile.hbm_bytes + double(w.row_blocks) * q_bytes;

    if (m.decomposition == Decomposition::data_parallel) {
        k.ctas = {CtaPlan{{start_phase(), fill_phase(), stream_phase(double(w.tiles), 0), merge_phase(),
                           io_phase(PhaseKind::store_output, out_bytes, 1)}}};
        k.repeat = w.row_blocks;
        k.hbm_write_bytes = double(w.row_blocks) * out_bytes;
        plan.issued_mma_flops = tiles_total * tile.mma_flops;
        plan.kernels.push_back(k);
        return plan;
    }

    if (m.decomposition == Decomposition::split_k) {
        std::vector<TileRange> ranges = split_ranges(w.tiles, splits);
        bool even = std::all_of(ranges.begin(), ranges.end(), [&](const TileRange& r) { return r.size() == ranges[0].size(); });
        auto split_cta = [&](const TileRange& r) {
            CtaPlan c{{start_phase()}};
            if (r.size() > 0) {
                c.phases.push_back(fill_phase());
                c.phases.push_back(stream_phase(double(r.size()), 0));
            }
            c.phases.push_back(merge_phase());
            // Even an empty split writes its (empty) partial, which the combine reads.
            c.phases.push_back(io_phase(splits > 1 ? PhaseKind::store_partial : PhaseKind::store_output, splits > 1 ? partial_bytes : out_bytes, 1));
            return c;
        };
        if (even) {
            k.ctas = {split_cta(ranges[0])};
            k.repeat = w.row_blocks * splits;
        } else {
            // FlashAttention-2's grid order: row block fastest, then split, then (batch, head).
            std::int64_t heads_total = p.B * w.heads;
            for (std::int64_t bh = 0; bh < heads_total; ++bh)
                for (std::int64_t s = 0; s < splits; ++s)
                    for (std::int64_t blk = 0; blk < w.blocks_per_head; ++blk) k.ctas.push_back(split_cta(ranges[s]));
        }
        k.hbm_write_bytes = double(w.row_blocks) * double(splits) * (splits > 1 ? partial_bytes : out_bytes);
        k.hbm_read_bytes = tiles_total * tile.hbm_bytes + double(w.row_blocks * splits) * q_bytes;
        plan.issued_mma_flops = tiles_total * tile.mma_flops;
        plan.kernels.push_back(k);
        if (splits == 1) return plan;

        KernelPlan c;
        c.name = "combine";
        if (m.combine_rows > 0) {
            // One 128-thread CTA a row block folds the block's partials, then writes its output.
            auto [trips, work] = fold(double(splits), 128.0);
            c.ctas = {CtaPlan{{start_phase(), work_phase(PhaseKind::reduce, double(splits) * partial_bytes, trips, work),
                               io_phase(PhaseKind::store_output, out_bytes, 1)}}};
            c.repeat = w.row_blocks;
            c.ctas_per_sm = std::min<std::int64_t>(g.sm.max_ctas, g.sm.max_threads / 128);
            c.hbm_write_bytes = double(p.o_bytes());
            plan.kernels.push_back(c);
            return plan;
        }
        // The combine kernel: FlashAttention-2 gives each 128-thread CTA 4, 8 or 16 output rows.
        double rows_c = p.F % 128 == 0 ? 4 : p.F % 64 == 0 ? 8 : 16;
        double all_rows = double(p.B * p.H * p.P);
        std::int64_t ctas = std::int64_t(std::ceil(all_rows / rows_c));
        double partials_total = all_rows * double(splits) * (double(p.F) * 4.0 + partial_scalars_bytes);
        TileWork step;
        step.bytes = rows_c * double(splits) * (double(p.F) * 4.0 + partial_scalars_bytes);
        // Partials were just written; they are read from L2 when they all fit in half of it.
        step.hbm_bytes = partials_total <= 0.5 * double(g.l2.capacity_bytes) ? 0.0 : step.bytes;
        step.exps = rows_c * double(splits);
        step.fp32_ops = rows_c * double(splits) * (2.0 * double(p.F) + 4.0);
        // The log-sum-exps, then each thread's float4s of the numerators split after split, a loop
        // whose loads go out combine_loads_in_flight at a time: a chain of round trips.
        step.loads = 2 + std::ceil(rows_c * double(p.F) / 4.0 / 128.0) * std::ceil(double(splits) / combine_loads_in_flight);
        step.stages = 1;
        c.tiles = {step};
        c.ctas = {CtaPlan{{start_phase(), stream_phase(1, 0), io_phase(PhaseKind::store_output, rows_c * double(p.F) * elem, 1)}}};
        c.repeat = ctas;
        c.ctas_per_sm = std::min<std::int64_t>(g.sm.max_ctas, g.sm.max_threads / 128);
        c.hbm_read_bytes = double(ctas) * step.hbm_bytes;
        c.hbm_write_bytes = double(p.o_bytes());
        plan.kernels.push_back(c);
        return plan;
    }

    // Stream-K: a persistent grid; CTA c holds the c-th equal range of the flattened (row block, tile) space.
    std::int64_t grid = m.grid_ctas > 0 ? m.grid_ctas : res.ctas_per_sm * g.sm_count;
    if (m.cluster > 1) {
        // Clustered (legality: grid = row blocks x cluster, every CTA a range of one block): after
        // the merge each CTA writes every other CTA's share of its state (F / cluster columns and
        // the row's max and sum) into that CTA's shared memory, one SM-to-SM round trip until the
        // stores are acknowledged and one for the cluster barrier; then each folds its columns from
        // its own shared memory, a chain step over the received rows, and stores its slice of the
        // output. No partials reach L2 or HBM.
        const double c = double(m.cluster);
        const double dsmem_s = g.clusters.dsmem_latency_ns * 1e-9;
        const double state_bytes = rows * double(mappings::cluster_receive_row_bytes(p.F, m.cluster)); // the valid rows received
        Phase push = work_phase(PhaseKind::push, 0, 0, 2.0 * dsmem_s + warp_chain_s(0, state_bytes / warps));
        const Phase fold_local = work_phase(PhaseKind::reduce, 0, 0, warp_chain_s(1, state_bytes / warps));
        for (std::int64_t cta = 0; cta < grid; ++cta) {
            const std::int64_t first = cta - cta % m.cluster;
            Phase wait = phase_of(PhaseKind::wait);
            for (std::int64_t other = first; other < first + m.cluster; ++other) wait.waits.push_back(int(other));
            push.signal = int(cta);
            k.ctas.push_back(CtaPlan{{start_phase(), fill_phase(), stream_phase(double(w.tiles) / c, 0), merge_phase(), push, wait,
                                      fold_local, io_phase(PhaseKind::store_output, out_bytes / c, 1)}});
        }
        k.events = int(grid);
        k.cluster = m.cluster;
        k.hbm_write_bytes = double(w.row_blocks) * out_bytes;
        plan.issued_mma_flops = tiles_total * tile.mma_flops;
        plan.kernels.push_back(k);
        return plan;
    }
    std::vector<std::vector<Segment>> segs = stream_k_segments(w.row_blocks, w.tiles, grid);
    // One flag per (row block, contributing CTA); the host of a block waits on all of its block's flags.
    std::vector<std::vector<int>> flags_of_block(static_cast<std::size_t>(w.row_blocks));
    std::vector<std::vector<int>> cta_flag(segs.size());
    for (std::size_t c = 0; c < segs.size(); ++c)
        for (const Segment& s : segs[c]) {
            int f = -1;
            if (!s.host) {
                f = k.events++;
                flags_of_block[std::size_t(s.block)].push_back(f);
            }
            cta_flag[c].push_back(f);
        }
    double partial_writes = 0;
    for (std::size_t c = 0; c < segs.size(); ++c) {
        CtaPlan cta{{start_phase()}};
        for (std::size_t i = 0; i < segs[c].size(); ++i) {
            const Segment& s = segs[c][i];
            // Each segment refills the pipeline (the pipeline drains between heads).
            cta.phases.push_back(fill_phase());
            cta.phases.push_back(stream_phase(double(s.tiles.size()), 0));
            cta.phases.push_back(merge_phase());
            if (s.complete) {
                cta.phases.push_back(io_phase(PhaseKind::store_output, out_bytes, 1));
            } else if (s.host) {
                const auto& flags = flags_of_block[std::size_t(s.block)];
                Phase wait = phase_of(PhaseKind::wait);
                wait.waits = flags;
                cta.phases.push_back(wait);
                // See the flags (a round trip), fold the partials, write the output (a round trip).
                auto [trips, work] = fold(double(flags.size()), 32.0 * warps);
                cta.phases.push_back(work_phase(PhaseKind::reduce, double(flags.size()) * partial_bytes + out_bytes, trips + 2, work));
            } else {
                // Write the partial, fence, then set the flag.
                Phase store = io_phase(PhaseKind::store_partial, partial_bytes, 2);
                store.signal = cta_flag[c][i];
                cta.phases.push_back(store);
                partial_writes += partial_bytes;
            }
        }
        k.ctas.push_back(cta);
    }
    k.hbm_read_bytes = tiles_total * tile.hbm_bytes + double(w.row_blocks) * q_bytes;
    k.hbm_write_bytes = double(w.row_blocks) * out_bytes + partial_writes;
    plan.issued_mma_flops = tiles_total * tile.mma_flops;
    plan.kernels.push_back(k);
    return plan;
}

} // namespace sim::gpu
