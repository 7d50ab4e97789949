#include "mappings/nest_plan.h"

#include <algorithm>
#include <map>

namespace mappings {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

struct Compiler {
    const einsum::Cascade& c;
    const Mapping& m;
    const arch::SpatialArch& a;
    const einsum::Shape* shape;
    NestPlan plan;
    std::map<std::string, int> slot_of;                  // rank or part variable -> slot
    std::map<std::string, std::vector<int>> factor_slots; // cascade variable -> its factors' slots
    std::vector<int> group_of;                           // per Einsum
    std::vector<std::vector<const einsum::Access*>> reads; // per Einsum, in reading order
    std::array<std::vector<int>, 6> scratch;                // compile_use's lists, reused
    std::vector<NestPlan::Dim> scratch_dims;

    [[noreturn]] void fail(const std::string& key, const std::string& what) const { throw einsum::InputError(m.where(key), what); }
    // `key` where the mapping recorded its location (it was read from a file), else `fallback`.
    std::string at_key(const std::string& key, const std::string& fallback) const { return m.locations.count(key) ? key : fallback; }

    int add_slot(const std::string& var, int rank) {
        int s = static_cast<int>(plan.slot_vars.size());
        plan.slot_vars.push_back(var);
        plan.slot_rank.push_back(rank);
        slot_of[var] = s;
        return s;
    }

    int tile_index(const std::string& key) const {
        auto it = std::lower_bound(plan.tile_keys.begin(), plan.tile_keys.end(), key);
        return static_cast<int>(it - plan.tile_keys.begin());
    }

    std::vector<int> factors_of(const std::vector<std::string>& vars) const {
        std::vector<int> out;
        for (const auto& v : vars)
            for (int f : factor_slots.at(v))
                if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
        return out;
    }

    void expand_ranks() {
        plan.ranks = c.all_ranks();
        for (std::size_t r = 0; r < plan.ranks.size(); ++r) {
            std::string v = einsum::var_of_rank(plan.ranks[r]);
            auto it = slot_of.find(v);
            int s = it == slot_of.end() ? add_slot(v, static_cast<int>(r)) : it->second;
            plan.slot_rank[s] = static_cast<int>(r); // a later rank of the same variable gives the extent
            factor_slots[v] = {s};
        }
        for (const auto& [key, t] : m.tiles) plan.tile_keys.push_back(key);
        for (std::size_t i = 0; i < m.splits.size(); ++i) {
            const Split& sp = m.splits[i];
            std::string key = "split[" + std::to_string(i) + "]";
            auto r = std::find(plan.ranks.begin(), plan.ranks.end(), sp.rank);
            if (r == plan.ranks.end()) fail(key, "split of unknown rank '" + sp.rank + "' (cascade " + c.name + ")");
            NestPlan::Split ps;
            ps.rank = static_cast<int>(r - plan.ranks.begin());
            ps.tiles.assign(sp.parts.size(), -1);
            for (std::size_t k = sp.parts.size(); k-- > 1;) {
                auto t = m.tiles.find(sp.parts[k]);
                if (t == m.tiles.end()) fail(key, "no tile given for " + sp.parts[k] + " (every part but the outermost needs one under [tiles])");
                if (!t->second.expr.empty()) fail("tiles." + sp.parts[k], "tile " + sp.parts[k] + " is a template: instantiate the mapping first");
                ps.tiles[k] = tile_index(sp.parts[k]);
            }
            if (!sp.parts.empty())
                if (auto t = m.tiles.find(sp.parts[0]); t != m.tiles.end() && t->second.expr.empty()) ps.outer_tile = tile_index(sp.parts[0]);
            if (shape && ps.outer_tile >= 0) {
                std::vector<std::int64_t> values, ext(sp.parts.size());
                for (const auto& [k, t] : m.tiles) values.push_back(t.value);
                std::int64_t total = shape->extent(sp.rank), covered = 1;
                if (!split_extents(ps, total, values.data(), ext.data(), covered))
                    fail("tiles." + sp.parts[0], "tile sizes do not cover rank " + sp.rank + ": " + std::to_string(values[ps.outer_tile]) + " x " +
                                                     std::to_string(covered) + " < " + std::to_string(total));
            }
            for (const auto& part : sp.parts) {
                std::string v = einsum::var_of_rank(part);
                if (slot_of.count(v)) fail(key, "part '" + part + "' clashes with an existing rank");
                ps.parts.push_back(add_slot(v, -1));
            }
            factor_slots[einsum::var_of_rank(sp.rank)] = ps.parts;
            plan.splits.push_back(ps);
        }
        for (const auto& [rank, t] : m.tiles)
            if (!slot_of.count(einsum::var_of_rank(rank)))
                fail("tiles." + rank, "tile for unknown rank '" + rank + "' (neither a cascade rank nor a split part)");
        if (plan.slot_vars.size() > static_cast<std::size_t>(SlotSet::capacity))
            fail("split", "more than " + std::to_string(SlotSet::capacity) + " rank variables and split parts");
    }

    void assign_groups() {
        for (const auto& e : c.einsums) {
            reads.emplace_back();
            e.expr.collect_accesses(reads.back());
        }
        group_of.assign(c.einsums.size(), -1);
        for (std::size_t g = 0; g < m.groups.size(); ++g)
            for (std::size_t k = 0; k < m.groups[g].einsums.size(); ++k) {
                const std::string& name = m.groups[g].einsums[k];
                const std::string key = at_key("group[" + std::to_string(g) + "].einsums[" + std::to_string(k) + "]", "group[" + std::to_string(g) + "]");
                const einsum::Einsum* e = c.find_einsum(name);
                if (!e) fail(key, "unknown Einsum '" + name + "' (cascade " + c.name + ")");
                int idx = static_cast<int>(e - c.einsums.data());
                if (group_of[idx] >= 0) fail("group[" + std::to_string(g) + "]", "Einsum '" + name + "' is in two groups");
                group_of[idx] = static_cast<int>(g);
            }
        for (std::size_t g = 0; g < m.groups.size(); ++g)
            for (std::size_t k = 0; k < m.groups[g].in_unit.size(); ++k) {
                const std::string& name = m.groups[g].in_unit[k];
                const std::string key = at_key("group[" + std::to_string(g) + "].in_unit[" + std::to_string(k) + "]", "group[" + std::to_string(g) + "]");
                const einsum::Einsum* e = c.find_einsum(name);
                if (!e) fail(key, "unknown Einsum '" + name + "' in in_unit (cascade " + c.name + ")");
                if (group_of[e - c.einsums.data()] != static_cast<int>(g))
                    fail(key, "in_unit names '" + name + "', which group " + m.groups[g].name + " does not compute");
            }
        for (std::size_t i = 0; i < c.einsums.size(); ++i) {
            if (group_of[i] < 0) fail("group", "Einsum '" + c.einsums[i].name + "' is in no group");
            if (!m.einsums.count(c.einsums[i].name))
                fail(m.locations.count("einsum") ? "einsum" : at_key("group[" + std::to_string(group_of[i]) + "]", "einsum"),
                     "Einsum '" + c.einsums[i].name + "' has no [einsum." + c.einsums[i].name + "] table (unit and spatial ranks)");
            for (const auto* r : reads[i]) {
                int p = c.tensors.at(r->tensor).producer;
                if (p >= 0 && group_of[p] > group_of[i])
                    fail("group[" + std::to_string(group_of[i]) + "]", "Einsum '" + c.einsums[i].name + "' reads '" + r->tensor +
                                                                          "', produced by a later group");
            }
        }
        for (const auto& [name, em] : m.einsums)
            if (!c.find_einsum(name)) fail("einsum." + name, "mapping for unknown Einsum '" + name + "'");
    }

    SlotList append(const std::vector<int>& list) {
        SlotList l{static_cast<int>(plan.slots.size()), 0};
        plan.slots.insert(plan.slots.end(), list.begin(), list.end());
        l.end = static_cast<int>(plan.slots.size());
        return l;
    }

    void place_einsums() {
        auto in = [](const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); };
        const std::size_t slots = plan.slot_vars.size();
        plan.places.assign(c.einsums.size() * slots, -1);
        for (std::size_t i = 0; i < c.einsums.size(); ++i) {
            const einsum::Einsum& e = c.einsums[i];
            const Group& g = m.groups[group_of[i]];
            const EinsumMapping& em = m.einsums.at(e.name);
            std::string key = "einsum." + e.name;
            NestPlan::Einsum pe;
            pe.group = group_of[i];
            pe.unit = em.unit;
            signed char* place_of = plan.places.data() + i * slots;
            auto factors = factors_of(e.loop_vars);
            for (const auto* list : {&em.rows, &em.cols, &em.loops})
                for (const auto& v : *list)
                    if (std::none_of(factors.begin(), factors.end(), [&](int f) { return plan.slot_vars[f] == v; })) {
                        std::string have;
                        for (int f : factors) have += (have.empty() ? "" : ", ") + plan.slot_vars[f];
                        fail(key, "'" + v + "' is not a rank variable of " + e.name + " under this mapping (it has: " + have + ")");
                    }
            std::vector<int> by_place[6], private_loops;
            for (int f : factors) {
                const std::string& var = plan.slot_vars[f];
                Place place = Place::inner;
                int places = 0;
                if (in(g.dram_loops, var)) { place = Place::dram_loop; ++places; }
                if (in(g.buffer_loops, var)) { place = Place::buffer_loop; ++places; }
                if (in(em.loops, var)) { place = Place::private_loop; ++places; }
                if (in(em.rows, var)) { place = Place::rows; ++places; }
                if (in(em.cols, var)) { place = Place::cols; ++places; }
                if (places > 1) fail(key, "rank variable '" + var + "' of " + e.name + " is placed twice (loop and spatial, or rows and cols)");
                by_place[is_loop(place) ? 0 : static_cast<int>(place)].push_back(f);
                if (place == Place::private_loop) private_loops.push_back(f);
                place_of[f] = static_cast<signed char>(place);
                pe.factors.push_back({f, place});
            }
            pe.loops = append(by_place[0]);
            pe.rows = append(by_place[static_cast<int>(Place::rows)]);
            pe.cols = append(by_place[static_cast<int>(Place::cols)]);
            pe.inner = append(by_place[static_cast<int>(Place::inner)]);
            pe.private_loops = append(private_loops);
            for (int rv : factors_of(e.reduced_vars))
                if (place_of[rv] == static_cast<signed char>(Place::rows) || place_of[rv] == static_cast<signed char>(Place::cols))
                    pe.spatial_reduction = true;
            plan.einsums.push_back(std::move(pe));
        }
        for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
            const Group& g = m.groups[gi];
            NestPlan::Group pg;
            pg.double_buffer = g.double_buffer;
            pg.overlap = g.overlap;
            pg.dram_offset = plan.dram_loop_count;
            for (const auto* loops : {&g.dram_loops, &g.buffer_loops})
                for (const auto& l : *loops) {
                    auto it = slot_of.find(l);
                    bool used = false;
                    if (it != slot_of.end())
                        for (std::size_t i = 0; i < plan.einsums.size(); ++i)
                            used = used || (plan.einsums[i].group == static_cast<int>(gi) && plan.place_of(static_cast<int>(i))[it->second] >= 0);
                    if (!used) fail("group[" + std::to_string(gi) + "]", "loop '" + l + "' is not a rank variable of any Einsum in group " + g.name);
                    (loops == &g.dram_loops ? pg.dram_loops : pg.buffer_loops).push_back(it->second);
                }
            plan.dram_loop_count += static_cast<int>(pg.dram_loops.size());
            plan.groups.push_back(std::move(pg));
        }
    }

    struct Access {
        int einsum;
        const einsum::Access* acc;
        bool write;
    };

    // The factors of an index expression: those of its variables, each once (factors_of(ix.vars())).
    void factors_of(const einsum::IndexExpr& ix, std::vector<int>& out) const {
        out.clear();
        for (const auto& t : ix.terms)
            if (!t.var.empty())
                for (int f : factor_slots.at(t.var))
                    if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    }

    // Also adds the factors indexing the access to the tensor's relevant loops.
    NestPlan::Use compile_use(NestPlan::Tensor& t, const Access& u) {
        const signed char* place_of = plan.place_of(u.einsum);
        NestPlan::Use pu;
        pu.einsum = u.einsum;
        pu.write = u.write;
        auto& [dram_tile, step_tile, held_tile, factors, fixed, shared] = scratch;
        for (auto* v : {&dram_tile, &step_tile, &held_tile}) v->clear();
        std::vector<NestPlan::Dim>& dims = scratch_dims;
        dims.clear();
        for (const auto& ix : u.acc->index) {
            NestPlan::Dim d;
            fixed.clear();
            shared.clear();
            factors_of(ix, factors);
            for (int f : factors) {
                pu.relevant.insert(f);
                t.relevant.insert(f);
                if (place_of[f] < 0) continue;
                auto place = static_cast<Place>(place_of[f]);
                if (place != Place::dram_loop && place != Place::private_loop) dram_tile.push_back(f);
                if (!is_loop(place)) step_tile.push_back(f);
                if (place == Place::dram_loop || place == Place::buffer_loop) shared.push_back(f);
                else {
                    fixed.push_back(f);
                    held_tile.push_back(f);
                }
                if (f == t.rec_factor) d.recurrent = true;
            }
            d.fixed = append(fixed);
            d.shared = append(shared);
            if (t.rec_factor >= 0) dims.push_back(d);
        }
        pu.dram_tile = append(dram_tile);
        pu.step_tile = append(step_tile);
        pu.held_tile = append(held_tile);
        pu.dims_begin = static_cast<int>(plan.dims.size());
        plan.dims.insert(plan.dims.end(), dims.begin(), dims.end());
        pu.dims_end = static_cast<int>(plan.dims.size());
        if (u.write)
            for (int f : factors_of(c.einsums[u.einsum].reduced_vars))
                if (place_of[f] >= 0 && is_loop(static_cast<Place>(place_of[f]))) {
                    pu.relevant.insert(f);
                    pu.read_modify_write = true;
                }
        return pu;
    }

    void analyse_tensors() {
        plan.element_bytes = a.element_bytes;
        for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
            const Group& g = m.groups[gi];
            std::map<std::string, std::vector<Access>> uses; // by tensor name: the order of LoopNest::tensors
            for (std::size_t i = 0; i < c.einsums.size(); ++i) {
                if (plan.einsums[i].group != static_cast<int>(gi)) continue;
                const einsum::Einsum& e = c.einsums[i];
                uses[e.name].push_back({static_cast<int>(i), &e.output, true});
                for (const auto* r : reads[i]) uses[r->tensor].push_back({static_cast<int>(i), r, false});
            }
            for (const auto& [tensor, us] : uses) {
                NestPlan::Tensor t;
                t.name = tensor;
                t.group = static_cast<int>(gi);
                t.producer = c.tensors.at(tensor).producer;
                bool produced_here = t.producer >= 0 && group_of[t.producer] == static_cast<int>(gi);
                bool read_outside = tensor == c.output;
                for (std::size_t i = 0; i < c.einsums.size(); ++i) {
                    if (group_of[i] == static_cast<int>(gi)) continue;
                    for (const auto* r : reads[i]) read_outside = read_outside || r->tensor == tensor;
                }
                bool listed = std::find(g.in_unit.begin(), g.in_unit.end(), tensor) != g.in_unit.end();
                if (!produced_here) t.cls = TensorClass::from_dram;
                else if (read_outside) t.cls = TensorClass::to_dram;
                else t.cls = listed ? TensorClass::in_unit : TensorClass::internal;
                if (listed && t.cls != TensorClass::in_unit)
                    fail("group[" + std::to_string(gi) + "]", "tensor '" + tensor + "' cannot stay in a unit: it " +
                                                                 (produced_here ? "is needed outside group " + g.name : "comes from DRAM"));
                t.dram_side = t.cls == TensorClass::from_dram || t.cls == TensorClass::to_dram;
                t.buffer_copies = t.dram_side && g.double_buffer ? 2 : 1;
                // A tensor carried along a recurrence holds the loops nested inside the recurrence loop.
                const std::string recurrence = produced_here ? c.einsums[t.producer].recurrence_var : std::string();
                if (!recurrence.empty()) t.rec_factor = factor_slots.at(recurrence).back();
                for (const auto& u : us) t.uses.push_back(compile_use(t, u));
                // An Einsum streaming the tensor through its own loops fetches it itself.
                for (const auto& u : t.uses)
                    for (const auto& f : plan.einsums[u.einsum].factors)
                        t.streamed = t.streamed || (f.place == Place::private_loop && t.relevant.contains(f.slot));
                plan.tensors.push_back(std::move(t));
            }
        }
    }
};

} // namespace

bool split_extents(const NestPlan::Split& sp, std::int64_t total, const std::int64_t* tiles, std::int64_t* part_extents,
                   std::int64_t& covered) {
    covered = 1;
    if (sp.tiles.empty()) return true;
    for (std::size_t k = sp.tiles.size(); k-- > 1;) {
        // A tile larger than what is left of the rank is clamped to it.
        part_extents[k] = std::min(tiles[sp.tiles[k]], ceil_div(total, covered));
        covered *= part_extents[k];
    }
    part_extents[0] = ceil_div(total, covered);
    return sp.outer_tile < 0 || tiles[sp.outer_tile] * covered >= total;
}

NestPlan compile_nest(const einsum::Cascade& c, const Mapping& m, const arch::SpatialArch& a, const einsum::Shape* shape) {
    Compiler k{c, m, a, shape, {}, {}, {}, {}, {}, {}, {}};
    k.expand_ranks();
    k.assign_groups();
    k.place_einsums();
    k.analyse_tensors();
    return std::move(k.plan);
}

} // namespace mappings
