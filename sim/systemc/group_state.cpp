#include "sim/systemc/group_state.h"

#include <algorithm>
#include <cassert>

namespace sim::systemc {

const char* name(Cause c) {
    switch (c) {
    case Cause::none: return "none";
    case Cause::dram: return "dram";
    case Cause::array2d: return "array2d";
    case Cause::array1d: return "array1d";
    case Cause::buffer_space: return "buffer_space";
    }
    return "?";
}

namespace {
Cause cause_of(mappings::Unit u) { return u == mappings::Unit::array2d ? Cause::array2d : Cause::array1d; }
Cause other(mappings::Unit u) { return u == mappings::Unit::array2d ? Cause::array1d : Cause::array2d; }
} // namespace

GroupState::GroupState(const ScheduledGroup& g, int pipeline_depth)
    : g_(g), pipeline_(g.pipeline), depth_(std::max(1, pipeline_depth)), started_(g.einsums.size(), 0), done_(g.einsums.size(), 0),
      transferred_(g.streams.size(), 0), next_(g.einsums.size()), unit_einsums_(2), stream_need_(g.streams.size()),
      cursors_(g.einsums.size()), digits_before_(g.extents.size()) {
    feeds_other_.assign(g.einsums.size(), 0);
    for (const auto& consumer : g.einsums)
        for (int p : consumer.producers)
            if (g.einsums[static_cast<std::size_t>(p)].unit != consumer.unit) feeds_other_[static_cast<std::size_t>(p)] = 1;
    for (std::size_t e = 0; e < g.einsums.size(); ++e) {
        unit_einsums_[unit_index(g.einsums[e].unit)].push_back(static_cast<int>(e));
        remaining_[unit_index(g.einsums[e].unit)] += g.einsums[e].ops;
        refresh(static_cast<int>(e));
    }
    if (pipeline_) {
        left_.assign(static_cast<std::size_t>(depth_), 0);
        for (std::int64_t i = 0; i < depth_ && i < g.iterations; ++i) left_[static_cast<std::size_t>(i % depth_)] = ops_in(g, i);
        advance_window();
    } else {
        pc_iteration_ = 0;
        pc_einsum_ = -1;
        pc_substep_ = 0;
        advance_pc();
    }
}

void GroupState::refresh(int e) {
    const ScheduledEinsum& se = g_.einsums[e];
    Next& n = next_[e];
    n.k = started_[e];
    if (n.k >= se.ops) return;
    // Operations run in order: the cursor moves on by one (an odometer over the loops it iterates),
    // so that no operation's place costs a division.
    Cursor& cur = cursors_[static_cast<std::size_t>(e)];
    if (n.k == 0) {
        cur.digits.assign(g_.extents.size(), 0);
        for (std::size_t l = 0; l < g_.extents.size(); ++l) cur.digits[l] = std::max<std::int64_t>(0, se.fixed[l]);
        cur.substep = 0;
    } else if (++cur.substep == se.substeps) {
        cur.substep = 0;
        for (std::size_t l = g_.extents.size(); l-- > 0;) {
            if (se.fixed[l] >= 0) continue;
            if (++cur.digits[l] < g_.extents[l]) break;
            cur.digits[l] = 0;
        }
    }
    n.place.substep = cur.substep;
    n.place.iteration = 0;
    for (std::size_t l = 0; l < g_.extents.size(); ++l) n.place.iteration += cur.digits[l] * g_.strides[l];
    assert(n.place.iteration == place_of(g_, se, n.k).iteration);
    n.need.clear();
    // What is carried across iterations needs the iteration before: the digits one lower.
    bool have_before = false;
    for (int p : se.producers) {
        if (p < e) {
            n.need.push_back(ops_through_digits(g_.einsums[p], cur.digits.data()));
            continue;
        }
        if (n.place.iteration == 0) {
            n.need.push_back(0);
            continue;
        }
        if (!have_before) {
            digits_before_ = cur.digits;
            for (std::size_t l = g_.extents.size(); l-- > 0;) {
                if (digits_before_[l] > 0) {
                    --digits_before_[l];
                    break;
                }
                digits_before_[l] = g_.extents[l] - 1;
            }
            have_before = true;
        }
        n.need.push_back(ops_through_digits(g_.einsums[p], digits_before_.data()));
    }
    n.load_index.clear();
    for (int s : se.loads) n.load_index.push_back(transfer_of(g_, g_.streams[s], n.place.iteration, n.place.substep));
    n.store_need.clear();
    for (int s : se.stores) n.store_need.push_back(transfer_of(g_, g_.streams[s], n.place.iteration, n.place.substep) - g_.streams[s].slots + 1);
}

bool GroupState::ready(int e) const {
    const ScheduledEinsum& se = g_.einsums[e];
    const Next& n = next_[e];
    if (pipeline_ && n.place.iteration >= oldest_ + depth_) return false;
    for (std::size_t p = 0; p < se.producers.size(); ++p)
        if (done_[se.producers[p]] < n.need[p]) return false;
    for (std::size_t s = 0; s < se.loads.size(); ++s)
        if (transferred_[se.loads[s]] <= n.load_index[s]) return false;
    for (std::size_t s = 0; s < se.stores.size(); ++s)
        if (transferred_[se.stores[s]] < n.store_need[s]) return false;
    return true;
}

Cause GroupState::blocked(int e) const {
    const ScheduledEinsum& se = g_.einsums[e];
    const Next& n = next_[e];
    if (pipeline_ && n.place.iteration >= oldest_ + depth_) return other(se.unit);
    for (std::size_t p = 0; p < se.producers.size(); ++p)
        if (done_[se.producers[p]] < n.need[p]) {
            mappings::Unit pu = g_.einsums[se.producers[p]].unit;
            return pu == se.unit ? Cause::none : cause_of(pu); // a producer on the same unit: not the root cause
        }
    for (std::size_t s = 0; s < se.loads.size(); ++s)
        if (transferred_[se.loads[s]] <= n.load_index[s]) return Cause::dram;
    for (std::size_t s = 0; s < se.stores.size(); ++s)
        if (transferred_[se.stores[s]] < n.store_need[s]) return Cause::buffer_space;
    return Cause::none;
}

bool GroupState::pick(mappings::Unit unit, OpRef& out, Cause& why) {
    why = Cause::none;
    const int u = unit_index(unit);
    if (remaining_[u] == 0) return false;
    if (!pipeline_) {
        if (in_flight_ > 0 || pc_einsum_ < 0) {
            why = other(unit);
            return false;
        }
        const ScheduledEinsum& se = g_.einsums[pc_einsum_];
        if (se.unit != unit) {
            why = cause_of(se.unit);
            return false;
        }
        if (ready(pc_einsum_)) {
            out = {pc_einsum_, next_[pc_einsum_].k, next_[pc_einsum_].place};
            return true;
        }
        why = blocked(pc_einsum_);
        if (why == Cause::none) why = other(unit);
        return false;
    }
    int best = -1, oldest_blocked = -1;
    Cause best_cause = Cause::none;
    for (int e : unit_einsums_[u]) {
        const Next& n = next_[e];
        if (n.k >= g_.einsums[e].ops) continue;
        if (ready(e)) {
            // What the other array waits for first (FuseMax's running max before the bulk of the
            // running sums), then the oldest.
            if (best < 0 || feeds_other_[e] > feeds_other_[best] ||
                (feeds_other_[e] == feeds_other_[best] && n.place.iteration < next_[best].place.iteration))
                best = e;
            continue;
        }
        Cause c = blocked(e);
        if (c == Cause::none) continue;
        if (oldest_blocked < 0 || n.place.iteration < next_[oldest_blocked].place.iteration) {
            oldest_blocked = e;
            best_cause = c;
        }
    }
    if (best >= 0) {
        out = {best, next_[best].k, next_[best].place};
        return true;
    }
    why = oldest_blocked >= 0 ? best_cause : other(unit);
    return false;
}

void GroupState::start(const OpRef& op) {
    ++started_[op.einsum];
    --remaining_[unit_index(g_.einsums[op.einsum].unit)];
    refresh(op.einsum);
    if (!pipeline_) ++in_flight_;
}

void GroupState::finish(const OpRef& op) {
    ++done_[op.einsum];
    if (pipeline_) {
        --left_[static_cast<std::size_t>(op.place.iteration % depth_)];
        advance_window();
    } else {
        --in_flight_;
        advance_pc();
    }
}

void GroupState::advance_window() {
    while (oldest_ < g_.iterations && left_[static_cast<std::size_t>(oldest_ % depth_)] == 0) {
        ++oldest_;
        std::int64_t entering = oldest_ + depth_ - 1;
        if (entering < g_.iterations) left_[static_cast<std::size_t>(entering % depth_)] = ops_in(g_, entering);
    }
}

void GroupState::advance_pc() {
    // From the operation after the current one: the next sub-step, the next Einsum that runs in
    // this iteration, or the first one that runs in a later iteration.
    if (pc_einsum_ >= 0 && pc_substep_ + 1 < g_.einsums[pc_einsum_].substeps) {
        ++pc_substep_;
        return;
    }
    pc_substep_ = 0;
    int e = pc_einsum_ + 1;
    for (; pc_iteration_ < g_.iterations; ++pc_iteration_, e = 0)
        for (; e < static_cast<int>(g_.einsums.size()); ++e)
            if (runs_in(g_, g_.einsums[e], pc_iteration_)) {
                pc_einsum_ = e;
                return;
            }
    pc_einsum_ = -1;
}

bool GroupState::load_may_start(int stream, std::int64_t n) {
    const ScheduledStream& st = g_.streams[stream];
    if (n < st.slots) return true;
    StreamNeed& sn = stream_need_[stream];
    if (sn.n != n) {
        sn.n = n;
        sn.need.clear();
        for (int u : st.users) sn.need.push_back(ops_done_with(g_, st, g_.einsums[u], n - st.slots));
    }
    for (std::size_t i = 0; i < st.users.size(); ++i)
        if (done_[st.users[i]] < sn.need[i]) return false;
    return true;
}

bool GroupState::store_may_start(int stream, std::int64_t n) {
    const ScheduledStream& st = g_.streams[stream];
    StreamNeed& sn = stream_need_[stream];
    if (sn.n != n) {
        sn.n = n;
        sn.need.clear();
        for (int u : st.users) sn.need.push_back(ops_done_with(g_, st, g_.einsums[u], n));
    }
    for (std::size_t i = 0; i < st.users.size(); ++i)
        if (done_[st.users[i]] < sn.need[i]) return false;
    return true;
}

bool GroupState::finished() const {
    for (std::size_t e = 0; e < g_.einsums.size(); ++e)
        if (done_[e] < g_.einsums[e].ops) return false;
    for (std::size_t s = 0; s < g_.streams.size(); ++s)
        if (!g_.streams[s].load && transferred_[s] < g_.streams[s].transfers) return false;
    return true;
}

} // namespace sim::systemc
