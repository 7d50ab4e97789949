#include "mappings/loop_nest.h"

#include <algorithm>
#include <set>

#include "einsum/iteration_space.h"

namespace mappings {

const char* name(TensorClass c) {
    switch (c) {
    case TensorClass::from_dram: return "from_dram";
    case TensorClass::to_dram: return "to_dram";
    case TensorClass::internal: return "internal";
    case TensorClass::in_unit: return "in_unit";
    }
    return "?";
}

std::int64_t LoopNest::buffer_bytes_required() const {
    std::int64_t peak = 0;
    for (auto b : group_buffer_bytes) peak = std::max(peak, b);
    return peak;
}
std::int64_t LoopNest::dram_read_bytes() const {
    std::int64_t n = 0;
    for (const auto& t : tensors) n += t.dram_read_bytes;
    return n;
}
std::int64_t LoopNest::dram_write_bytes() const {
    std::int64_t n = 0;
    for (const auto& t : tensors) n += t.dram_write_bytes;
    return n;
}

einsum::Shape mapped_shape(const einsum::Cascade& c, const einsum::ShapeBinding& base, const Mapping& m) {
    einsum::ShapeBinding b = base;
    auto ranks = c.all_ranks();
    for (const auto& [rank, t] : m.tiles) {
        if (std::find(ranks.begin(), ranks.end(), rank) == ranks.end()) continue; // a split part
        if (!t.expr.empty())
            throw einsum::InputError(m.where("tiles." + rank), "tile " + rank + " is a template ('" + t.expr + "'): instantiate the mapping first");
        b.values[rank] = static_cast<double>(t.value);
    }
    b.source = base.source + " + mapping " + m.name;
    return einsum::resolve_shape(c, b);
}

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// Valid points of an Einsum: iterating both parts of a partition visits the parent's extent.
std::int64_t count_points(const einsum::Cascade& c, const einsum::Einsum& e, const einsum::Shape& s) {
    if (e.filter) return einsum::IterationSpace(c, e, s).count();
    std::vector<std::string> ranks;
    for (const auto& v : e.loop_vars) ranks.push_back(einsum::rank_of_var(c, v));
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
    for (const auto& r : ranks) n *= s.extent(r);
    return n;
}

struct Builder {
    const einsum::Cascade& c;
    const einsum::Shape& s;
    const Mapping& m;
    const arch::SpatialArch& a;
    LoopNest nest;
    std::map<std::string, std::vector<std::string>> factor_vars; // cascade var -> factor vars
    std::vector<int> group_of;                                   // per einsum

    [[noreturn]] void fail(const std::string& key, const std::string& what) const { throw einsum::InputError(m.where(key), what); }

    void expand_ranks() {
        for (const auto& r : c.all_ranks()) {
            std::string v = einsum::var_of_rank(r);
            factor_vars[v] = {v};
            nest.extents[v] = s.extent(r);
        }
        for (std::size_t i = 0; i < m.splits.size(); ++i) {
            const Split& sp = m.splits[i];
            std::string key = "split[" + std::to_string(i) + "]";
            auto ranks = c.all_ranks();
            if (std::find(ranks.begin(), ranks.end(), sp.rank) == ranks.end())
                fail(key, "split of unknown rank '" + sp.rank + "' (cascade " + c.name + ")");
            std::int64_t total = s.extent(sp.rank), covered = 1;
            std::vector<std::int64_t> ext(sp.parts.size(), 0);
            for (std::size_t k = sp.parts.size(); k-- > 1;) {
                auto t = m.tiles.find(sp.parts[k]);
                if (t == m.tiles.end()) fail(key, "no tile given for " + sp.parts[k] + " (every part but the outermost needs one under [tiles])");
                if (!t->second.expr.empty()) fail("tiles." + sp.parts[k], "tile " + sp.parts[k] + " is a template: instantiate the mapping first");
                // A tile larger than what is left of the rank is clamped to it.
                ext[k] = std::min(t->second.value, ceil_div(total, covered));
                covered *= ext[k];
            }
            ext[0] = ceil_div(total, covered);
            if (auto t = m.tiles.find(sp.parts[0]); t != m.tiles.end() && t->second.expr.empty() && t->second.value * covered < total)
                fail("tiles." + sp.parts[0], "tile sizes do not cover rank " + sp.rank + ": " + std::to_string(t->second.value) + " x " +
                                                 std::to_string(covered) + " < " + std::to_string(total));
            std::vector<std::string> vars;
            for (std::size_t k = 0; k < sp.parts.size(); ++k) {
                std::string v = einsum::var_of_rank(sp.parts[k]);
                if (nest.extents.count(v)) fail(key, "part '" + sp.parts[k] + "' clashes with an existing rank");
                nest.extents[v] = ext[k];
                vars.push_back(v);
            }
            factor_vars[einsum::var_of_rank(sp.rank)] = vars;
        }
        for (const auto& [rank, t] : m.tiles) {
            std::string v = einsum::var_of_rank(rank);
            if (!nest.extents.count(v)) fail("tiles." + rank, "tile for unknown rank '" + rank + "' (neither a cascade rank nor a split part)");
        }
    }

    std::vector<std::string> factors_of(const std::vector<std::string>& vars) const {
        std::vector<std::string> out;
        for (const auto& v : vars)
            for (const auto& f : factor_vars.at(v))
                if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
        return out;
    }

    void assign_groups() {
        group_of.assign(c.einsums.size(), -1);
        for (std::size_t g = 0; g < m.groups.size(); ++g)
            for (const auto& name : m.groups[g].einsums) {
                const einsum::Einsum* e = c.find_einsum(name);
                if (!e) fail("group[" + std::to_string(g) + "]", "unknown Einsum '" + name + "' (cascade " + c.name + ")");
                int idx = static_cast<int>(e - c.einsums.data());
                if (group_of[idx] >= 0) fail("group[" + std::to_string(g) + "]", "Einsum '" + name + "' is in two groups");
                group_of[idx] = static_cast<int>(g);
            }
        for (std::size_t i = 0; i < c.einsums.size(); ++i) {
            if (group_of[i] < 0) fail("group", "Einsum '" + c.einsums[i].name + "' is in no group");
            if (!m.einsums.count(c.einsums[i].name))
                fail("einsum", "Einsum '" + c.einsums[i].name + "' has no [einsum." + c.einsums[i].name + "] table (unit and spatial ranks)");
            std::vector<const einsum::Access*> reads;
            c.einsums[i].expr.collect_accesses(reads);
            for (const auto* r : reads) {
                int p = c.tensors.at(r->tensor).producer;
                if (p >= 0 && group_of[p] > group_of[i])
                    fail("group[" + std::to_string(group_of[i]) + "]", "Einsum '" + c.einsums[i].name + "' reads '" + r->tensor +
                                                                          "', produced by a later group");
            }
        }
        for (const auto& [name, em] : m.einsums)
            if (!c.find_einsum(name)) fail("einsum." + name, "mapping for unknown Einsum '" + name + "'");
    }

    void place_einsums() {
        for (std::size_t i = 0; i < c.einsums.size(); ++i) {
            const einsum::Einsum& e = c.einsums[i];
            const Group& g = m.groups[group_of[i]];
            const EinsumMapping& em = m.einsums.at(e.name);
            std::string key = "einsum." + e.name;
            EinsumNest en;
            en.einsum = static_cast<int>(i);
            en.group = group_of[i];
            en.unit = em.unit;
            auto factors = factors_of(e.loop_vars);
            for (const auto* list : {&em.rows, &em.cols, &em.loops})
                for (const auto& v : *list)
                    if (std::find(factors.begin(), factors.end(), v) == factors.end()) {
                        std::string have;
                        for (const auto& f : factors) have += (have.empty() ? "" : ", ") + f;
                        fail(key, "'" + v + "' is not a rank variable of " + e.name + " under this mapping (it has: " + have + ")");
                    }
            auto in = [](const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); };
            for (const auto& f : factors) {
                FactorUse u{f, Place::inner, nest.extents.at(f)};
                int places = 0;
                if (in(g.dram_loops, f)) { u.place = Place::dram_loop; ++places; }
                if (in(g.buffer_loops, f)) { u.place = Place::buffer_loop; ++places; }
                if (in(em.loops, f)) { u.place = Place::private_loop; ++places; }
                if (in(em.rows, f)) { u.place = Place::rows; ++places; }
                if (in(em.cols, f)) { u.place = Place::cols; ++places; }
                if (places > 1) fail(key, "rank variable '" + f + "' of " + e.name + " is placed twice (loop and spatial, or rows and cols)");
                switch (u.place) {
                case Place::dram_loop:
                case Place::buffer_loop:
                case Place::private_loop: en.steps *= u.extent; break;
                case Place::rows: en.rows_extent *= u.extent; break;
                case Place::cols: en.cols_extent *= u.extent; break;
                case Place::inner: en.inner_extent *= u.extent; break;
                }
                en.factors.push_back(u);
            }
            for (const auto& rv : factors_of(e.reduced_vars))
                for (const auto& u : en.factors)
                    if (u.var == rv && (u.place == Place::rows || u.place == Place::cols)) en.spatial_reduction = true;
            en.points = count_points(c, e, s);
            nest.einsums.push_back(en);
        }
        for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
            const Group& g = m.groups[gi];
            std::int64_t iters = 1;
            for (const auto* loops : {&g.dram_loops, &g.buffer_loops})
                for (const auto& l : *loops) {
                    bool used = false;
                    for (const auto& en : nest.einsums)
                        if (en.group == static_cast<int>(gi))
                            for (const auto& u : en.factors) used = used || u.var == l;
                    if (!used) fail("group[" + std::to_string(gi) + "]", "loop '" + l + "' is not a rank variable of any Einsum in group " + g.name);
                    iters *= nest.extents.at(l);
                }
            nest.group_iterations.push_back(iters);
        }
    }

    const FactorUse* use(const EinsumNest& en, const std::string& f) const {
        for (const auto& u : en.factors)
            if (u.var == f) return &u;
        return nullptr;
    }

    // Elements of `acc` touched with the factors at `keep` places; iterative dims hold two entries.
    std::int64_t access_tile(const EinsumNest& en, const einsum::Access& acc, bool carried_inside_loops, const std::string& recurrence,
                             const std::vector<std::string>& loops_inside) const {
        std::int64_t n = 1;
        for (const auto& ix : acc.index) {
            std::int64_t range = 1;
            bool recurrent_dim = false;
            for (const auto& f : factors_of(ix.vars())) {
                const FactorUse* u = use(en, f);
                if (!u) continue;
                bool shared = u->place == Place::dram_loop || u->place == Place::buffer_loop;
                bool inside = std::find(loops_inside.begin(), loops_inside.end(), f) != loops_inside.end();
                if (!shared || (carried_inside_loops && inside)) range *= u->extent;
                if (!recurrence.empty() && f == recurrence) recurrent_dim = true;
            }
            if (recurrent_dim) range = (range == 1) ? 2 : range + 1;
            n *= range;
        }
        return n;
    }

    void analyse_tensors() {
        const std::int64_t bytes = a.element_bytes;
        nest.element_bytes = bytes;
        for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
            const Group& g = m.groups[gi];
            std::vector<std::string> loops = g.dram_loops;
            loops.insert(loops.end(), g.buffer_loops.begin(), g.buffer_loops.end());
            std::vector<std::string> names;
            struct Use { const EinsumNest* en; const einsum::Access* acc; bool write; };
            std::map<std::string, std::vector<Use>> uses;
            for (const auto& en : nest.einsums) {
                if (en.group != static_cast<int>(gi)) continue;
                const einsum::Einsum& e = c.einsums[en.einsum];
                uses[e.name].push_back({&en, &e.output, true});
                std::vector<const einsum::Access*> reads;
                e.expr.collect_accesses(reads);
                for (const auto* r : reads) uses[r->tensor].push_back({&en, r, false});
            }
            std::int64_t group_bytes = 0;
            for (const auto& [tensor, us] : uses) {
                TensorNest tn;
                tn.tensor = tensor;
                tn.group = static_cast<int>(gi);
                int producer = c.tensors.at(tensor).producer;
                bool produced_here = producer >= 0 && group_of[producer] == static_cast<int>(gi);
                bool read_outside = tensor == c.output;
                for (std::size_t i = 0; i < c.einsums.size(); ++i) {
                    if (group_of[i] == static_cast<int>(gi)) continue;
                    std::vector<const einsum::Access*> reads;
                    c.einsums[i].expr.collect_accesses(reads);
                    for (const auto* r : reads) read_outside = read_outside || r->tensor == tensor;
                }
                bool listed = std::find(g.in_unit.begin(), g.in_unit.end(), tensor) != g.in_unit.end();
                if (!produced_here) tn.cls = TensorClass::from_dram;
                else if (read_outside) tn.cls = TensorClass::to_dram;
                else tn.cls = listed ? TensorClass::in_unit : TensorClass::internal;
                if (listed && tn.cls != TensorClass::in_unit)
                    fail("group[" + std::to_string(gi) + "]", "tensor '" + tensor + "' cannot stay in a unit: it " +
                                                                 (produced_here ? "is needed outside group " + g.name : "comes from DRAM"));

                // Relevant loops: those that index the tensor in some access.
                std::set<std::string> relevant;
                for (const auto& u : us)
                    for (const auto& ix : u.acc->index)
                        for (const auto& f : factors_of(ix.vars())) relevant.insert(f);
                std::string recurrence = produced_here ? c.einsums[producer].recurrence_var : std::string();
                std::vector<std::string> recurrence_factors = recurrence.empty() ? std::vector<std::string>{} : factor_vars.at(recurrence);
                std::string rec_factor = recurrence_factors.empty() ? std::string() : recurrence_factors.back();
                // Loops inside the recurrence loop must be held across it.
                std::vector<std::string> inside;
                if (!rec_factor.empty()) {
                    auto it = std::find(loops.begin(), loops.end(), rec_factor);
                    if (it != loops.end()) inside.assign(it + 1, loops.end());
                }
                std::int64_t tile = 0;
                bool dram_side = tn.cls == TensorClass::from_dram || tn.cls == TensorClass::to_dram;
                for (const auto& u : us) {
                    std::int64_t t;
                    if (dram_side) {
                        // Everything below the DRAM level: buffer loops, spatial and inner factors.
                        t = 1;
                        for (const auto& ix : u.acc->index) {
                            std::int64_t range = 1;
                            for (const auto& f : factors_of(ix.vars())) {
                                const FactorUse* fu = use(*u.en, f);
                                if (fu && fu->place != Place::dram_loop && fu->place != Place::private_loop) range *= fu->extent;
                            }
                            t *= range;
                        }
                    } else {
                        t = access_tile(*u.en, *u.acc, true, rec_factor, inside);
                    }
                    tile = std::max(tile, t);
                }
                tn.tile_elements = tile;
                if (tn.cls != TensorClass::in_unit) {
                    tn.buffer_bytes = tile * bytes * (dram_side && g.double_buffer ? 2 : 1);
                    group_bytes += tn.buffer_bytes;
                }
                if (dram_side) {
                    // Fetched once per iteration of the DRAM loops down to the innermost one that
                    // indexes it; an Einsum streaming it through its own loops fetches it itself.
                    auto fetches = [&](const EinsumNest* en) {
                        std::vector<std::string> order = g.dram_loops;
                        if (en)
                            for (const auto& u : en->factors)
                                if (u.place == Place::private_loop) order.push_back(u.var);
                        std::int64_t count = 1, prefix = 1;
                        for (const auto& l : order) {
                            prefix *= nest.extents.at(l);
                            if (relevant.count(l)) count = prefix;
                        }
                        return count;
                    };
                    std::int64_t count = 0;
                    bool streamed = false;
                    for (const auto& u : us)
                        for (const auto& f : u.en->factors) streamed = streamed || (f.place == Place::private_loop && relevant.count(f.var));
                    if (streamed)
                        for (const auto& u : us) count += fetches(u.en);
                    else
                        count = fetches(nullptr);
                    std::int64_t moved = count * tile * bytes;
                    if (tn.cls == TensorClass::from_dram) {
                        tn.dram_read_bytes = moved;
                        tn.buffer_write_bytes += moved;
                    } else {
                        tn.dram_write_bytes = moved;
                        tn.buffer_read_bytes += moved;
                    }
                }
                if (tn.cls != TensorClass::in_unit) {
                    for (const auto& u : us) {
                        const einsum::Einsum& e = c.einsums[u.en->einsum];
                        std::set<std::string> rel;
                        for (const auto& ix : u.acc->index)
                            for (const auto& f : factors_of(ix.vars())) rel.insert(f);
                        bool rmw = false;
                        if (u.write)
                            for (const auto& f : factors_of(e.reduced_vars)) {
                                const FactorUse* fu = use(*u.en, f);
                                if (fu && is_loop(fu->place)) {
                                    rel.insert(f);
                                    rmw = true;
                                }
                            }
                        std::int64_t count = 1, prefix = 1;
                        std::vector<std::string> order = g.dram_loops;
                        for (const auto& f : u.en->factors)
                            if (f.place == Place::private_loop) order.push_back(f.var);
                        order.insert(order.end(), g.buffer_loops.begin(), g.buffer_loops.end());
                        for (const auto& l : order) {
                            const FactorUse* fu = use(*u.en, l);
                            if (!fu) continue;
                            prefix *= fu->extent;
                            if (rel.count(l)) count = prefix;
                        }
                        std::int64_t step_tile = 1;
                        for (const auto& ix : u.acc->index) {
                            std::int64_t range = 1;
                            for (const auto& f : factors_of(ix.vars())) {
                                const FactorUse* fu = use(*u.en, f);
                                if (fu && !is_loop(fu->place)) range *= fu->extent;
                            }
                            step_tile *= range;
                        }
                        std::int64_t moved = count * step_tile * bytes;
                        if (u.write) {
                            tn.buffer_write_bytes += moved;
                            if (rmw) tn.buffer_read_bytes += moved;
                        } else {
                            tn.buffer_read_bytes += moved;
                        }
                    }
                }
                nest.tensors.push_back(tn);
            }
            nest.group_buffer_bytes.push_back(group_bytes);
        }
    }
};

} // namespace

LoopNest build_loop_nest(const einsum::Cascade& c, const einsum::Shape& s, const Mapping& m, const arch::SpatialArch& a) {
    Builder b{c, s, m, a, {}, {}, {}};
    b.expand_ranks();
    b.assign_groups();
    b.place_einsums();
    b.analyse_tensors();
    return b.nest;
}

} // namespace mappings
