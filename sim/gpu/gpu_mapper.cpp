#include "sim/gpu/gpu_mapper.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "einsum/input_error.h"
#include "mappings/fa2_split_heuristic.h"
#include "mappings/gpu_legality.h"
#include "mappings/gpu_policies.h"
#include "sim/gpu/gpu_model.h"
#include "sim/gpu/work_partition.h"

namespace sim::gpu {

using mappings::Decomposition;
using mappings::GpuMapping;

namespace {

struct Shape {
    std::int64_t tile_q, warps;
};

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

// Split counts worth timing: FlashAttention-2's pick, counts that fill whole waves, powers of two.
std::set<std::int64_t> split_candidates(const mappings::AttentionProblem& p, const GpuMapping& m, const arch::GpuArch& g) {
    WorkLayout w = work_layout(p, m);
    std::int64_t slots = mappings::gpu_resources(m, p, g).ctas_per_sm * g.sm_count;
    std::int64_t cap = std::min<std::int64_t>(w.tiles, 128);
    std::set<std::int64_t> s;
    mappings::Fa2SplitInputs in = mappings::fa2_split_inputs(p, g);
    s.insert(mappings::fa2_num_splits(w.row_blocks, slots, w.tiles));
    s.insert(mappings::fa2_num_splits(in.units, in.slots, in.n_blocks));
    for (std::int64_t k = 1; k <= 4; ++k) s.insert((k * slots + w.row_blocks - 1) / std::max<std::int64_t>(1, w.row_blocks));
    for (std::int64_t v = 1; v <= cap; v *= 2) s.insert(v);
    std::set<std::int64_t> out;
    for (std::int64_t v : s)
        if (v >= 1 && v <= cap) out.insert(v);
    return out;
}

} // namespace

std::vector<std::int64_t> stream_k_grid_candidates(const mappings::AttentionProblem& p, const GpuMapping& m, const arch::GpuArch& g) {
    const WorkLayout w = work_layout(p, m);
    GpuMapping unlimited = m;
    unlimited.ctas_per_sm = 0;
    const std::int64_t fit = std::max<std::int64_t>(1, mappings::gpu_resources(unlimited, p, g).ctas_per_sm);
    const std::int64_t per_sm = m.ctas_per_sm > 0 ? std::min(m.ctas_per_sm, fit) : fit;
    const std::int64_t total = w.row_blocks * w.tiles;
    const std::int64_t slots = std::min(per_sm * g.sm_count, total);
    std::set<std::int64_t> grids{slots, std::min(slots, mappings::leanattention_grid(p, m, g))};
    // Aligned grids: row_blocks x k CTAs when k divides a block's tiles (each CTA tiles / k of one
    // block), row_blocks / j when j divides the blocks (each CTA j whole blocks).
    for (std::int64_t k = 1; k <= w.tiles && w.row_blocks * k <= slots; ++k)
        if (w.tiles % k == 0) grids.insert(w.row_blocks * k);
    for (std::int64_t j = 1; j <= w.row_blocks; ++j)
        if (w.row_blocks % j == 0 && w.row_blocks / j <= slots) grids.insert(w.row_blocks / j);
    return {grids.begin(), grids.end()};
}

std::int64_t stream_k_cluster_for_grid(const mappings::AttentionProblem& p, const GpuMapping& m, std::int64_t grid) {
    const std::int64_t blocks = work_layout(p, m).row_blocks;
    return blocks > 0 && grid % blocks == 0 && grid / blocks >= 2 ? grid / blocks : 0;
}

std::optional<StreamKGrid> fastest_stream_k_grid(const mappings::AttentionProblem& p, const GpuMapping& m, const arch::GpuArch& g,
                                                 bool clusters) {
    std::optional<StreamKGrid> best;
    std::int64_t timed = 0;
    for (std::int64_t c : stream_k_grid_candidates(p, m, g)) {
        std::vector<std::int64_t> variants{0};
        if (const std::int64_t cl = clusters ? stream_k_cluster_for_grid(p, m, c) : 0; cl > 0) variants.push_back(cl);
        for (std::int64_t cl : variants) {
            GpuMapping k = m;
            k.grid_ctas = c;
            k.cluster = cl;
            if (!mappings::gpu_violations(k, p, g).empty()) continue;
            const double us = simulate_gpu(p, k, g).time_us;
            timed++;
            // Ascending grids: an unclustered tie goes to the larger grid; a clustered one must be faster.
            if (!best || us < best->time_us || (us == best->time_us && cl == 0)) best = StreamKGrid{c, cl, us, 0};
        }
    }
    if (best) best->evaluated = timed;
    return best;
}

MapperChoice map_gpu(const mappings::AttentionProblem& p, const arch::GpuArch& g, const MapperOptions& opt) {
    MapperChoice choice;
    std::vector<MapperCandidate> best(3);
    std::vector<GpuResult> best_result(3);
    auto consider = [&](GpuMapping m) {
        if (!mappings::gpu_violations(m, p, g).empty()) return;
        GpuResult r = simulate_gpu(p, m, g);
        choice.evaluated++;
        auto d = std::size_t(m.decomposition);
        if (best[d].time_us == 0 || r.time_us < best[d].time_us) {
            best[d] = {m, r.time_us, r.binding};
            best_result[d] = r;
        }
    };
    const Shape shapes[] = {{16, 1}, {64, 4}, {128, 4}, {128, 8}};
    const std::int64_t kv_tiles[] = {64, 128, 256};
    const std::int64_t stage_counts[] = {1, 2, 4};
    std::vector<bool> packs = p.H > p.Hkv ? std::vector<bool>{true, false} : std::vector<bool>{false};
    auto wanted = [&](Decomposition d) { return !opt.only || *opt.only == d; };

    // Stage 1: every tile shape with each decomposition at its default parameters.
    for (const Shape& s : shapes)
        for (std::int64_t kv : kv_tiles)
            for (std::int64_t st : stage_counts)
                for (bool pack : packs) {
                    GpuMapping m;
                    m.name = "mapper";
                    m.tile_q = s.tile_q;
                    m.warps = s.warps;
                    m.tile_kv = kv;
                    m.stages = st;
                    m.gqa_pack = pack;
                    if (p.P > 1 && s.tile_q < 64) continue; // small tiles only pay in decode
                    if (wanted(Decomposition::data_parallel)) consider(m);
                    if (wanted(Decomposition::split_k)) {
                        GpuMapping k = m;
                        k.decomposition = Decomposition::split_k;
                        mappings::Fa2SplitInputs in = mappings::fa2_split_inputs(p, g);
                        k.splits = opt.splits > 0 ? opt.splits : std::min(mappings::kv_tiles(k, p), mappings::fa2_num_splits(in.units, in.slots, in.n_blocks));
                        consider(k);
                    }
                    if (wanted(Decomposition::stream_k)) {
                        GpuMapping k = m;
                        k.decomposition = Decomposition::stream_k;
                        k.ctas_per_sm = opt.ctas_per_sm > 0 ? opt.ctas_per_sm : mappings::gpu_resources(k, p, g).ctas_per_sm;
                        consider(k);
                    }
                }
    // Stage 2: around the best tile shape, the decomposition's own parameter.
    if (wanted(Decomposition::split_k) && opt.splits == 0 && best[1].time_us > 0)
        for (std::int64_t s : split_candidates(p, best[1].mapping, g)) {
            GpuMapping k = best[1].mapping;
            k.splits = s;
            consider(k);
        }
    if (wanted(Decomposition::stream_k) && opt.ctas_per_sm == 0 && best[2].time_us > 0) {
        std::int64_t most = mappings::gpu_resources(best[2].mapping, p, g).ctas_per_sm;
        GpuMapping base = best[2].mapping;
        base.ctas_per_sm = 0;
        most = std::max(most, mappings::gpu_resources(base, p, g).ctas_per_sm);
        for (std::int64_t c = 1; c <= most; ++c) {
            GpuMapping k = best[2].mapping;
            k.ctas_per_sm = c;
            consider(k);
        }
    }
    // Stage 3: the stream-K grid, by the same search (and tie-break) as `einsim gpu-jobs`.
    if (wanted(Decomposition::stream_k) && best[2].time_us > 0)
        if (const auto pick = fastest_stream_k_grid(p, best[2].mapping, g, opt.clusters)) {
            // The pick names its grid: it replaces the default grid (every resident slot) on a tie.
            choice.evaluated += pick->evaluated;
            GpuMapping k = best[2].mapping;
            k.grid_ctas = pick->grid_ctas;
            k.cluster = pick->cluster;
            if (pick->time_us <= best[2].time_us) {
                best_result[2] = simulate_gpu(p, k, g);
                best[2] = {k, best_result[2].time_us, best_result[2].binding};
            }
        }

    std::vector<std::size_t> order;
    for (std::size_t d = 0; d < 3; ++d)
        if (best[d].time_us > 0) order.push_back(d);
    if (order.empty())
        throw einsum::InputError({"--decomposition", 0, 0, "mapping"}, "no legal GPU mapping found for " + p.str());
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return best[a].time_us < best[b].time_us; });
    for (std::size_t d : order) choice.best_per_decomposition.push_back(best[d]);
    choice.mapping = best[order[0]].mapping;
    choice.result = best_result[order[0]];
    std::string text = mappings::describe(choice.mapping);
    std::string why = "chose " + text.substr(text.find(": ") + 2) + ": " + fixed(choice.result.time_us, 2) + " us, bound by " +
                      choice.result.binding + " (" + fixed(100 * choice.result.copy_fraction, 1) + "% of copy bandwidth, " +
                      fixed(100 * choice.result.sm_busy_fraction, 1) + "% SM-busy)";
    for (std::size_t i = 1; i < order.size(); ++i) {
        const MapperCandidate& c = best[order[i]];
        why += "; best " + mappings::decomposition_text(c.mapping) + " " + fixed(c.time_us, 2) + " us (" + c.binding + ")";
    }
    choice.reason = why;
    for (auto& m : choice.best_per_decomposition) m.mapping.name = "mapper";
    return choice;
}

} // namespace sim::gpu
