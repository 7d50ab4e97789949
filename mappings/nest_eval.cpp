#include "mappings/nest_eval.h"

#include <algorithm>
#include <limits>
#include <span>

#include "einsum/input_error.h"
#include "einsum/iteration_space.h"

namespace mappings {
namespace {

constexpr std::int64_t max_points = std::int64_t(1) << 59;

// Valid points of an Einsum: iterating both parts of a partition visits the parent's extent.
// `rank_vars` pairs every rank of the cascade with its variable (einsum::rank_of_var, computed once).
std::int64_t count_points(const einsum::Cascade& c, const einsum::Einsum& e, const einsum::Shape& s,
                          const std::vector<std::pair<std::string, std::string>>& rank_vars) {
    if (e.filter) return einsum::IterationSpace(c, e, s).count();
    std::vector<std::string> ranks;
    for (const auto& v : e.loop_vars) {
        auto r = std::find_if(rank_vars.begin(), rank_vars.end(), [&](const auto& rv) { return rv.second == v; });
        ranks.push_back(r == rank_vars.end() ? std::string() : r->first);
    }
    bool merged = true;
    while (merged) {
        merged = false;
        for (const auto& p : c.partitions) {
            auto o = std::find(ranks.begin(), ranks.end(), p.outer);
            auto i = std::find(ranks.begin(), ranks.end(), p.inner);
            if (o == ranks.end() || i == ranks.end() || std::find(ranks.begin(), ranks.end(), p.parent) != ranks.end()) continue;
            ranks.erase(std::find(ranks.begin(), ranks.end(), p.outer));
            ranks.erase(std::find(ranks.begin(), ranks.end(), p.inner));
            ranks.push_back(p.parent);
            merged = true;
        }
    }
    std::int64_t n = 1;
    for (const auto& r : ranks)
        if (__builtin_mul_overflow(n, s.extent(r), &n)) return std::numeric_limits<std::int64_t>::max();
    return n;
}

std::int64_t product(std::span<const int> slots, const std::vector<std::int64_t>& ext) {
    std::int64_t n = 1;
    for (int s : slots) n *= ext[s];
    return n;
}

// Iterations of `order` up to the innermost loop in `relevant` (Timeloop's reuse rule: a tile is
// fetched again only when a loop that indexes it, or one outside such a loop, advances), continuing
// the running `prefix` and `count` of outer loops. With `place_of`, loops that are not factors of
// that Einsum do not iterate.
void advance(std::span<const int> order, const SlotSet& relevant, const std::vector<std::int64_t>& ext, const signed char* place_of,
             std::int64_t& prefix, std::int64_t& count) {
    for (int l : order) {
        if (place_of && place_of[l] < 0) continue;
        prefix *= ext[l];
        if (relevant.contains(l)) count = prefix;
    }
}

} // namespace

void prepare_numbers(const NestPlan& plan, NestNumbers& n) {
    n.extents.assign(plan.slot_vars.size(), 0);
    n.loop_position.assign(plan.slot_vars.size(), -1);
    std::size_t parts = 0;
    for (const auto& sp : plan.splits) parts = std::max(parts, sp.parts.size());
    n.part_extents.assign(parts, 0);
    n.einsums.assign(plan.einsums.size(), {});
    for (std::size_t i = 0; i < plan.einsums.size(); ++i) {
        n.einsums[i].group = plan.einsums[i].group;
        n.einsums[i].unit = plan.einsums[i].unit;
    }
    n.tensors.assign(plan.tensors.size(), {});
    for (std::size_t i = 0; i < plan.tensors.size(); ++i) {
        n.tensors[i].group = plan.tensors[i].group;
        n.tensors[i].cls = plan.tensors[i].cls;
        n.tensors[i].producer = plan.tensors[i].producer;
        n.tensors[i].streamed = plan.tensors[i].dram_side && plan.tensors[i].streamed;
    }
    n.group_buffer_bytes.assign(plan.groups.size(), 0);
    n.group_iterations.assign(plan.groups.size(), 1);
    n.element_bytes = plan.element_bytes;
}

bool evaluate_nest(const NestPlan& plan, const NestChoice& choice, NestNumbers& n) {
    std::vector<std::int64_t>& ext = n.extents;
    for (std::size_t s = 0; s < ext.size(); ++s)
        if (plan.slot_rank[s] >= 0) ext[s] = choice.rank_extents[plan.slot_rank[s]];
    for (const auto& sp : plan.splits) {
        std::int64_t covered = 1;
        if (!split_extents(sp, choice.rank_extents[sp.rank], choice.tiles, n.part_extents.data(), covered)) return false;
        for (std::size_t k = 0; k < sp.parts.size(); ++k) ext[sp.parts[k]] = n.part_extents[k];
    }
    for (std::size_t i = 0; i < plan.einsums.size(); ++i) {
        const NestPlan::Einsum& pe = plan.einsums[i];
        NestNumbers::Einsum& ne = n.einsums[i];
        ne.points = choice.points[i];
        ne.steps = product(plan.list(pe.loops), ext);
        ne.rows_extent = product(plan.list(pe.rows), ext);
        ne.cols_extent = product(plan.list(pe.cols), ext);
        ne.inner_extent = product(plan.list(pe.inner), ext);
        ne.stream_transfers = ne.stream_dram_bytes = ne.buffer_read_bytes = ne.buffer_write_bytes = 0;
    }
    const std::int64_t bytes = plan.element_bytes;
    std::size_t ti = 0;
    for (std::size_t gi = 0; gi < plan.groups.size(); ++gi) {
        const NestPlan::Group& g = plan.groups[gi];
        const std::size_t dram_n = g.dram_loops.size();
        const std::span<const int> order(choice.dram_loops ? choice.dram_loops + g.dram_offset : g.dram_loops.data(), dram_n);
        n.group_iterations[gi] = product(g.dram_loops, ext) * product(g.buffer_loops, ext);
        // Positions among the group's loops, DRAM loops first (the last occurrence of a repeated loop).
        for (std::size_t k = 0; k < dram_n; ++k) n.loop_position[order[k]] = static_cast<int>(k);
        for (std::size_t k = 0; k < g.buffer_loops.size(); ++k) n.loop_position[g.buffer_loops[k]] = static_cast<int>(dram_n + k);
        std::int64_t group_bytes = 0;
        for (; ti < plan.tensors.size() && plan.tensors[ti].group == static_cast<int>(gi); ++ti) {
            const NestPlan::Tensor& t = plan.tensors[ti];
            NestNumbers::Tensor& nt = n.tensors[ti];
            // Loops inside the recurrence loop hold the tensor across it.
            int rec_first = -1;
            if (t.rec_factor >= 0) {
                for (std::size_t k = 0; k < dram_n && rec_first < 0; ++k)
                    if (order[k] == t.rec_factor) rec_first = static_cast<int>(k);
                for (std::size_t k = 0; k < g.buffer_loops.size() && rec_first < 0; ++k)
                    if (g.buffer_loops[k] == t.rec_factor) rec_first = static_cast<int>(dram_n + k);
            }
            std::int64_t tile = 0;
            for (const auto& u : t.uses) {
                std::int64_t v = 1;
                if (t.dram_side) v = product(plan.list(u.dram_tile), ext); // everything below the DRAM level
                else if (t.rec_factor < 0) v = product(plan.list(u.held_tile), ext);
                else
                    for (int di = u.dims_begin; di < u.dims_end; ++di) {
                        const NestPlan::Dim& d = plan.dims[static_cast<std::size_t>(di)];
                        std::int64_t range = product(plan.list(d.fixed), ext);
                        for (int f : plan.list(d.shared))
                            if (rec_first >= 0 && n.loop_position[f] > rec_first) range *= ext[f];
                        if (d.recurrent) range = range == 1 ? 2 : range + 1; // two entries: before and after the step
                        v *= range;
                    }
                tile = std::max(tile, v);
            }
            nt.tile_elements = tile;
            nt.buffer_bytes = 0;
            if (t.cls != TensorClass::in_unit) {
                nt.buffer_bytes = tile * bytes * t.buffer_copies;
                group_bytes += nt.buffer_bytes;
            }
            nt.dram_read_bytes = nt.dram_write_bytes = nt.buffer_read_bytes = nt.buffer_write_bytes = nt.transfers = 0;
            if (t.dram_side) {
                // Fetched once per iteration of the DRAM loops down to the innermost one that indexes
                // it; an Einsum streaming it through its own loops fetches it itself.
                auto fetches = [&](const NestPlan::Einsum* pe) {
                    std::int64_t prefix = 1, count = 1;
                    advance(order, t.relevant, ext, nullptr, prefix, count);
                    if (pe) advance(plan.list(pe->private_loops), t.relevant, ext, nullptr, prefix, count);
                    return count;
                };
                std::int64_t count = 0;
                if (t.streamed)
                    for (const auto& u : t.uses) {
                        const std::int64_t mine = fetches(&plan.einsums[u.einsum]);
                        NestNumbers::Einsum& ne = n.einsums[static_cast<std::size_t>(u.einsum)];
                        ne.stream_transfers += mine;
                        ne.stream_dram_bytes += mine * tile * bytes;
                        count += mine;
                    }
                else
                    count = fetches(nullptr);
                nt.transfers = count;
                std::int64_t moved = count * tile * bytes;
                if (t.cls == TensorClass::from_dram) {
                    nt.dram_read_bytes = moved;
                    nt.buffer_write_bytes += moved;
                } else {
                    nt.dram_write_bytes = moved;
                    nt.buffer_read_bytes += moved;
                }
            }
            if (t.cls != TensorClass::in_unit)
                for (const auto& u : t.uses) {
                    // The units' accesses: one step's tile, again whenever a loop that indexes it advances.
                    const NestPlan::Einsum& pe = plan.einsums[u.einsum];
                    const signed char* place_of = plan.place_of(u.einsum);
                    std::int64_t prefix = 1, count = 1;
                    advance(order, u.relevant, ext, place_of, prefix, count);
                    advance(plan.list(pe.private_loops), u.relevant, ext, place_of, prefix, count);
                    advance(g.buffer_loops, u.relevant, ext, place_of, prefix, count);
                    std::int64_t moved = count * product(plan.list(u.step_tile), ext) * bytes;
                    NestNumbers::Einsum& ne = n.einsums[static_cast<std::size_t>(u.einsum)];
                    if (u.write) {
                        nt.buffer_write_bytes += moved;
                        ne.buffer_write_bytes += moved;
                        if (u.read_modify_write) {
                            nt.buffer_read_bytes += moved;
                            ne.buffer_read_bytes += moved;
                        }
                    } else {
                        nt.buffer_read_bytes += moved;
                        ne.buffer_read_bytes += moved;
                    }
                }
        }
        n.group_buffer_bytes[gi] = group_bytes;
    }
    return true;
}

ShapeInputs shape_inputs(const NestPlan& plan, const einsum::Cascade& c, const einsum::Shape& s) {
    ShapeInputs in;
    for (const auto& r : plan.ranks) in.rank_extents.push_back(s.extent(r));
    std::vector<std::pair<std::string, std::string>> rank_vars;
    for (const auto& r : plan.ranks) rank_vars.emplace_back(r, einsum::var_of_rank(r));
    std::int64_t total = 0;
    for (const auto& e : c.einsums) {
        in.points.push_back(count_points(c, e, s, rank_vars));
        // The models count bytes from the points (a few operands of a few bytes each) in 64 bits:
        // past 2^59 points in all, those counts would wrap into negative traffic and energy.
        if (__builtin_add_overflow(total, in.points.back(), &total) || total > max_points)
            throw einsum::InputError(e.where.file.empty() ? einsum::SourceLocation{c.file, 0, 0, ""} : e.where,
                                     "the Einsums up to '" + e.name + "' have more than 2^59 iteration points under shape " + s.str() +
                                         ": beyond what the cost models count in 64 bits");
    }
    return in;
}

std::vector<std::int64_t> tile_values(const NestPlan& plan, const Mapping& m) {
    std::vector<std::int64_t> out;
    for (const auto& k : plan.tile_keys) {
        auto it = m.tiles.find(k);
        out.push_back(it == m.tiles.end() || !it->second.expr.empty() ? 0 : it->second.value);
    }
    return out;
}

LoopNest evaluate_loop_nest(const NestPlan& plan, const einsum::Cascade& c, const einsum::Shape& s, const Mapping& m, const arch::SpatialArch& a) {
    ShapeInputs in = shape_inputs(plan, c, s);
    std::vector<std::int64_t> tiles = tile_values(plan, m);
    NestNumbers n;
    prepare_numbers(plan, n);
    if (!evaluate_nest(plan, {in.rank_extents.data(), in.points.data(), tiles.data(), nullptr}, n))
        compile_nest(c, m, a, &s); // throws, located at the tile that does not cover its rank

    LoopNest nest;
    for (std::size_t slot = 0; slot < plan.slot_vars.size(); ++slot) nest.extents[plan.slot_vars[slot]] = n.extents[slot];
    for (std::size_t i = 0; i < plan.einsums.size(); ++i) {
        const NestPlan::Einsum& pe = plan.einsums[i];
        const NestNumbers::Einsum& ne = n.einsums[i];
        EinsumNest en;
        en.einsum = static_cast<int>(i);
        en.group = pe.group;
        en.unit = pe.unit;
        for (const auto& f : pe.factors) en.factors.push_back({plan.slot_vars[f.slot], f.place, n.extents[f.slot]});
        en.points = ne.points;
        en.steps = ne.steps;
        en.rows_extent = ne.rows_extent;
        en.cols_extent = ne.cols_extent;
        en.inner_extent = ne.inner_extent;
        en.spatial_reduction = pe.spatial_reduction;
        en.stream_transfers = ne.stream_transfers;
        en.stream_dram_bytes = ne.stream_dram_bytes;
        en.buffer_read_bytes = ne.buffer_read_bytes;
        en.buffer_write_bytes = ne.buffer_write_bytes;
        nest.einsums.push_back(std::move(en));
    }
    for (std::size_t i = 0; i < plan.tensors.size(); ++i) {
        const NestNumbers::Tensor& nt = n.tensors[i];
        nest.tensors.push_back({plan.tensors[i].name, nt.group, nt.cls, nt.tile_elements, nt.buffer_bytes, nt.dram_read_bytes, nt.dram_write_bytes,
                                nt.buffer_read_bytes, nt.buffer_write_bytes, nt.transfers, nt.streamed});
    }
    nest.group_buffer_bytes = n.group_buffer_bytes;
    nest.group_iterations = n.group_iterations;
    nest.element_bytes = n.element_bytes;
    return nest;
}

} // namespace mappings
