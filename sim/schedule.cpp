#include "sim/schedule.h"

#include <algorithm>
#include <cassert>
#include <map>
#include <set>

#include "sim/analytical/model.h"

namespace sim {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

bool contains(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// Splits `total` over parts in proportion to `weights` (integers), exactly: the first part takes what
// rounding leaves over.
std::vector<std::int64_t> split_exact(std::int64_t total, const std::vector<std::int64_t>& weights) {
    std::vector<std::int64_t> out(weights.size(), 0);
    if (weights.empty()) return out;
    long double sum = 0;
    for (auto w : weights) sum += static_cast<long double>(w);
    std::int64_t given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        out[i] = sum > 0 ? static_cast<std::int64_t>(static_cast<long double>(total) * static_cast<long double>(weights[i]) / sum) : 0;
        given += out[i];
    }
    out[0] += total - given;
    return out;
}

// The mapping's factor variables of every cascade variable (p → p2, p1, p0 under a split of P).
std::map<std::string, std::vector<std::string>> factor_vars(const einsum::Cascade& c, const mappings::Mapping& m) {
    std::map<std::string, std::vector<std::string>> f;
    for (const auto& r : c.all_ranks()) f[einsum::var_of_rank(r)] = {einsum::var_of_rank(r)};
    for (const auto& sp : m.splits) {
        std::vector<std::string> vars;
        for (const auto& p : sp.parts) vars.push_back(einsum::var_of_rank(p));
        f[einsum::var_of_rank(sp.rank)] = vars;
    }
    return f;
}

const mappings::FactorUse* use(const mappings::EinsumNest& en, const std::string& f) {
    for (const auto& u : en.factors)
        if (u.var == f) return &u;
    return nullptr;
}

// Transfers of a tensor under the loop-nest's reuse rule (one per iteration of the DRAM loops down to
// the innermost one that indexes it), over the given loop order.
std::int64_t transfers_over(const std::vector<std::string>& order, const std::map<std::string, std::int64_t>& extents,
                            const std::set<std::string>& relevant) {
    std::int64_t count = 1, prefix = 1;
    for (const auto& l : order) {
        prefix *= extents.at(l);
        if (relevant.count(l)) count = prefix;
    }
    return count;
}

} // namespace

Schedule build_schedule(const einsum::Cascade& c, const einsum::Shape& /*s*/, const arch::SpatialArch& a, const mappings::Mapping& m,
                        const mappings::LoopNest& nest) {
    Schedule sch;
    sch.element_bytes = nest.element_bytes;
    const auto fv = factor_vars(c, m);
    auto factors_of = [&](const std::vector<std::string>& vars) {
        std::vector<std::string> out;
        for (const auto& v : vars) {
            auto it = fv.find(v);
            for (const auto& f : it == fv.end() ? std::vector<std::string>{v} : it->second)
                if (!contains(out, f)) out.push_back(f);
        }
        return out;
    };

    for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
        const mappings::Group& mg = m.groups[gi];
        ScheduledGroup g;
        g.name = mg.name;
        g.pipeline = mg.overlap == mappings::Overlap::pipeline;
        g.double_buffer = mg.double_buffer;
        g.loops = mg.dram_loops;
        g.loops.insert(g.loops.end(), mg.buffer_loops.begin(), mg.buffer_loops.end());
        for (const auto& l : g.loops) g.extents.push_back(nest.extents.at(l));
        for (const auto& l : mg.buffer_loops) g.buffer_iterations *= nest.extents.at(l);
        for (auto x : g.extents) g.iterations *= x;
        g.strides.assign(g.extents.size(), 1);
        for (std::size_t l = g.extents.size(); l-- > 1;) g.strides[l - 1] = g.strides[l] * g.extents[l];
        std::int64_t dram_positions = g.iterations / g.buffer_iterations;

        // Einsums of the group, cascade order.
        std::vector<const mappings::EinsumNest*> ens;
        std::map<int, int> position; // cascade index → group position
        for (const auto& en : nest.einsums)
            if (en.group == static_cast<int>(gi)) {
                position[en.einsum] = static_cast<int>(ens.size());
                ens.push_back(&en);
            }
        if (ens.empty()) throw einsum::InputError(m.where("group[" + std::to_string(gi) + "]"), "group " + mg.name + " has no Einsums");

        std::vector<std::vector<bool>> depends(ens.size(), std::vector<bool>(g.loops.size(), false));
        for (std::size_t k = 0; k < ens.size(); ++k) {
            const mappings::EinsumNest& en = *ens[k];
            const einsum::Einsum& e = c.einsums[en.einsum];
            ScheduledEinsum se;
            se.einsum = en.einsum;
            se.name = e.name;
            se.unit = en.unit;
            const bool two_d = en.unit == mappings::Unit::array2d;
            const std::int64_t rows = two_d ? a.array2d.rows : a.array1d.lanes, cols = two_d ? a.array2d.cols : 1;
            const std::int64_t folds = ceil_div(en.rows_extent, rows) * ceil_div(en.cols_extent, cols);
            se.cycles_per_op = static_cast<double>(folds) * static_cast<double>(en.inner_extent) * point_work(e, en.unit, a).unit_cycles;
            for (const auto& u : en.factors)
                if (u.place == mappings::Place::private_loop) se.substeps *= u.extent;
            std::vector<const einsum::Access*> reads;
            e.expr.collect_accesses(reads);
            for (const auto* r : reads) {
                int p = c.tensors.at(r->tensor).producer;
                auto it = position.find(p);
                if (p < 0 || it == position.end() || p == en.einsum) continue;
                if (std::find(se.producers.begin(), se.producers.end(), it->second) == se.producers.end()) se.producers.push_back(it->second);
            }
            // An Einsum that lacks a group loop runs at its last index when it reads something that loop
            // produces, else at its first.
            std::int64_t iterated = 1;
            for (std::size_t l = 0; l < g.loops.size(); ++l) {
                const mappings::FactorUse* fu = use(en, g.loops[l]);
                bool iterates = fu && (fu->place == mappings::Place::dram_loop || fu->place == mappings::Place::buffer_loop);
                bool dep = iterates;
                for (int p : se.producers)
                    if (p < static_cast<int>(k) && depends[p][l]) dep = true;
                depends[k][l] = dep;
                se.fixed.push_back(iterates ? -1 : (dep ? g.extents[l] - 1 : 0));
                if (iterates) iterated *= g.extents[l];
            }
            se.ops = iterated * se.substeps;
            assert(se.ops == en.steps);
            se.inner_product.assign(g.loops.size(), 1);
            for (std::size_t l = g.loops.size(); l-- > 1;)
                se.inner_product[l - 1] = se.inner_product[l] * (se.fixed[l] < 0 ? g.extents[l] : 1);
            g.einsums.push_back(std::move(se));
        }

        // Streams and buffer bytes of every tensor of the group, from the nest's per-tensor totals.
        for (const auto& t : nest.tensors) {
            if (t.group != static_cast<int>(gi) || t.cls == mappings::TensorClass::in_unit) continue;
            struct Use {
                int pos;
                const einsum::Access* acc;
                bool write;
            };
            std::vector<Use> uses;
            for (std::size_t k = 0; k < ens.size(); ++k) {
                const einsum::Einsum& e = c.einsums[ens[k]->einsum];
                if (e.name == t.tensor) uses.push_back({static_cast<int>(k), &e.output, true});
                std::vector<const einsum::Access*> reads;
                e.expr.collect_accesses(reads);
                for (const auto* r : reads)
                    if (r->tensor == t.tensor) uses.push_back({static_cast<int>(k), r, false});
            }
            if (uses.empty()) continue;
            std::set<std::string> relevant;
            for (const auto& u : uses)
                for (const auto& ix : u.acc->index)
                    for (const auto& f : factors_of(ix.vars())) relevant.insert(f);

            const bool from_dram = t.cls == mappings::TensorClass::from_dram, to_dram = t.cls == mappings::TensorClass::to_dram;
            if (from_dram || to_dram) {
                bool streamed = false;
                for (const auto& u : uses)
                    for (const auto& f : ens[u.pos]->factors) streamed = streamed || (f.place == mappings::Place::private_loop && relevant.count(f.var));
                std::vector<ScheduledStream> made;
                auto make = [&](std::int64_t substeps, const std::vector<std::string>& order, std::vector<int> users) {
                    ScheduledStream st;
                    st.tensor = t.tensor;
                    st.load = from_dram;
                    st.slots = g.double_buffer ? 2 : 1;
                    st.tile_bytes = t.tile_elements * nest.element_bytes;
                    st.substeps = substeps;
                    st.transfers = transfers_over(order, nest.extents, relevant);
                    st.positions_per_transfer = dram_positions * substeps / st.transfers;
                    st.users = std::move(users);
                    made.push_back(std::move(st));
                };
                int producer_pos = -1;
                for (const auto& u : uses)
                    if (u.write) producer_pos = u.pos;
                if (streamed) {
                    for (const auto& u : uses) {
                        std::vector<std::string> order = mg.dram_loops;
                        for (const auto& f : ens[u.pos]->factors)
                            if (f.place == mappings::Place::private_loop) order.push_back(f.var);
                        make(g.einsums[u.pos].substeps, order, {to_dram ? std::max(producer_pos, 0) : u.pos});
                    }
                } else {
                    std::vector<int> users;
                    for (const auto& u : uses)
                        if (to_dram ? u.write : !u.write)
                            if (std::find(users.begin(), users.end(), u.pos) == users.end()) users.push_back(u.pos);
                    make(1, mg.dram_loops, users);
                }
                std::vector<std::int64_t> weights;
                for (const auto& st : made) weights.push_back(st.transfers);
                auto shares = split_exact(from_dram ? t.dram_read_bytes : t.dram_write_bytes, weights);
                for (std::size_t k = 0; k < made.size(); ++k) {
                    made[k].bytes = shares[k];
                    int idx = static_cast<int>(g.streams.size());
                    for (int u : made[k].users) {
                        auto& list = from_dram ? g.einsums[u].loads : g.einsums[u].stores;
                        list.push_back(idx);
                    }
                    g.streams.push_back(std::move(made[k]));
                }
            }
        }
        // What the units read and write in the buffer, as the nest counts it per Einsum.
        for (std::size_t k = 0; k < ens.size(); ++k) {
            g.einsums[k].buffer_read_bytes = ens[k]->buffer_read_bytes;
            g.einsums[k].buffer_write_bytes = ens[k]->buffer_write_bytes;
        }
        sch.groups.push_back(std::move(g));
    }
    return sch;
}

namespace {

// Digit of loop l in iteration i.
std::int64_t digit(const ScheduledGroup& g, std::int64_t i, std::size_t l) { return (i / g.strides[l]) % g.extents[l]; }

} // namespace

bool runs_in(const ScheduledGroup& g, const ScheduledEinsum& e, std::int64_t i) {
    for (std::size_t l = 0; l < g.extents.size(); ++l)
        if (e.fixed[l] >= 0 && digit(g, i, l) != e.fixed[l]) return false;
    return true;
}

void iteration_digits(const ScheduledGroup& g, std::int64_t i, std::int64_t* digits) {
    for (std::size_t l = 0; l < g.extents.size(); ++l) digits[l] = digit(g, i, l);
}

bool runs_in_digits(const ScheduledEinsum& e, const std::int64_t* digits) {
    for (std::size_t l = 0; l < e.fixed.size(); ++l)
        if (e.fixed[l] >= 0 && digits[l] != e.fixed[l]) return false;
    return true;
}

std::int64_t ops_through(const ScheduledGroup& g, const ScheduledEinsum& e, std::int64_t i) {
    if (i < 0) return 0;
    if (i >= g.iterations) return e.ops;
    std::int64_t digits[64];
    assert(g.extents.size() <= 64);
    iteration_digits(g, i, digits);
    return ops_through_digits(e, digits);
}

std::int64_t ops_through_digits(const ScheduledEinsum& e, const std::int64_t* digits) {
    // Iterations j ≤ i whose fixed digits match: walk the digits of i from the outermost loop.
    std::int64_t count = 0;
    bool prefix_ok = true;
    for (std::size_t l = 0; l < e.fixed.size() && prefix_ok; ++l) {
        std::int64_t d = digits[l];
        if (e.fixed[l] >= 0) {
            if (e.fixed[l] < d) count += e.inner_product[l];
            if (e.fixed[l] != d) prefix_ok = false;
        } else {
            count += d * e.inner_product[l];
        }
    }
    if (prefix_ok) count += 1;
    return count * e.substeps;
}

OpPlace place_of(const ScheduledGroup& g, const ScheduledEinsum& e, std::int64_t k) {
    OpPlace p;
    p.substep = k % e.substeps;
    std::int64_t a = k / e.substeps, stride = 1;
    for (std::size_t l = g.extents.size(); l-- > 0;) {
        std::int64_t d;
        if (e.fixed[l] >= 0) {
            d = e.fixed[l];
        } else {
            d = a % g.extents[l];
            a /= g.extents[l];
        }
        p.iteration += d * stride;
        stride *= g.extents[l];
    }
    return p;
}

std::int64_t transfer_of(const ScheduledGroup& g, const ScheduledStream& st, std::int64_t i, std::int64_t s) {
    std::int64_t x = (i / g.buffer_iterations) * st.substeps + (st.substeps > 1 ? s : 0);
    return x / st.positions_per_transfer;
}

std::int64_t ops_done_with(const ScheduledGroup& g, const ScheduledStream& st, const ScheduledEinsum& u, std::int64_t n) {
    std::int64_t x_last = (n + 1) * st.positions_per_transfer - 1;
    std::int64_t dram_index = x_last / st.substeps, s = x_last % st.substeps;
    std::int64_t i_last = dram_index * g.buffer_iterations + g.buffer_iterations - 1;
    if (st.substeps == 1 || !runs_in(g, u, i_last)) return ops_through(g, u, i_last);
    return ops_through(g, u, i_last - 1) + s + 1;
}

std::int64_t transfer_bytes(const ScheduledStream& st, std::int64_t n) {
    return st.bytes / st.transfers + (n < st.bytes % st.transfers ? 1 : 0);
}

std::int64_t op_buffer_read_bytes(const ScheduledEinsum& e, std::int64_t k) {
    return e.buffer_read_bytes / e.ops + (k < e.buffer_read_bytes % e.ops ? 1 : 0);
}

std::int64_t op_buffer_write_bytes(const ScheduledEinsum& e, std::int64_t k) {
    return e.buffer_write_bytes / e.ops + (k < e.buffer_write_bytes % e.ops ? 1 : 0);
}

std::int64_t ops_in(const ScheduledGroup& g, std::int64_t i) {
    std::int64_t digits[64];
    assert(g.extents.size() <= 64);
    iteration_digits(g, i, digits);
    std::int64_t n = 0;
    for (const auto& e : g.einsums)
        if (runs_in_digits(e, digits)) n += e.substeps;
    return n;
}

ScheduleTotals totals(const Schedule& s) {
    ScheduleTotals t;
    for (const auto& g : s.groups) {
        double c2 = 0, c1 = 0;
        for (const auto& e : g.einsums) {
            (e.unit == mappings::Unit::array2d ? c2 : c1) += static_cast<double>(e.ops) * e.cycles_per_op;
            t.ops += e.ops;
            t.buffer_read_bytes += e.buffer_read_bytes;
            t.buffer_write_bytes += e.buffer_write_bytes;
        }
        for (const auto& st : g.streams) {
            t.transfers += st.transfers;
            if (st.load) {
                t.dram_read_bytes += st.bytes;
                t.buffer_write_bytes += st.bytes;
            } else {
                t.dram_write_bytes += st.bytes;
                t.buffer_read_bytes += st.bytes;
            }
        }
        t.array2d_cycles.push_back(c2);
        t.array1d_cycles.push_back(c1);
    }
    return t;
}

void for_each_event(const ScheduledGroup& g, const std::function<void(const ScheduledEvent&)>& f) {
    std::vector<std::int64_t> next(g.streams.size(), 0), seq(g.einsums.size(), 0);
    for (std::int64_t i = 0; i < g.iterations; ++i) {
        for (std::size_t k = 0; k < g.streams.size(); ++k) {
            const ScheduledStream& st = g.streams[k];
            if (!st.load) continue;
            // Loads whose first position lies in this iteration.
            while (next[k] < st.transfers) {
                std::int64_t x_first = next[k] * st.positions_per_transfer;
                std::int64_t it = (x_first / st.substeps) * g.buffer_iterations;
                if (it != i) break;
                f({ScheduledEvent::Kind::load, static_cast<int>(k), next[k], i, x_first % st.substeps});
                ++next[k];
            }
        }
        for (std::size_t k = 0; k < g.einsums.size(); ++k) {
            if (!runs_in(g, g.einsums[k], i)) continue;
            for (std::int64_t s = 0; s < g.einsums[k].substeps; ++s) f({ScheduledEvent::Kind::op, static_cast<int>(k), seq[k]++, i, s});
        }
        for (std::size_t k = 0; k < g.streams.size(); ++k) {
            const ScheduledStream& st = g.streams[k];
            if (st.load) continue;
            while (next[k] < st.transfers) {
                std::int64_t x_last = (next[k] + 1) * st.positions_per_transfer - 1;
                std::int64_t it = (x_last / st.substeps) * g.buffer_iterations + g.buffer_iterations - 1;
                if (it != i) break;
                f({ScheduledEvent::Kind::store, static_cast<int>(k), next[k], i, x_last % st.substeps});
                ++next[k];
            }
        }
    }
}

} // namespace sim
