#include "sim/systemc/array_unit.h"

#include <algorithm>

#include "sim/systemc/ticks.h"

namespace sim::systemc {

ArrayUnit::ArrayUnit(sc_core::sc_module_name name, mappings::Unit unit, Fabric& f) : sc_core::sc_module(name), unit_(unit), f_(f) {
    if (f_.trace) {
        track_ = f_.trace->track(mappings::name(unit));
        stall_track_ = f_.trace->track(std::string(mappings::name(unit)) + " stalls");
    }
    SC_THREAD(run);
}

void ArrayUnit::stall(Cause c) {
    if (c == stalled_) return;
    unstall();
    stalled_ = c;
    stalled_since_ = now_ticks();
}

void ArrayUnit::unstall() {
    if (stalled_ == Cause::none) return;
    const std::int64_t now = now_ticks();
    if (now > stalled_since_) {
        f_.units[Fabric::index(unit_)].stalled[static_cast<std::size_t>(stalled_)] += now - stalled_since_;
        if (f_.trace) f_.trace->add(stall_track_, f_.trace->name(std::string("waiting on ") + systemc::name(stalled_)), stalled_since_, now - stalled_since_);
    }
    stalled_ = Cause::none;
}

void ArrayUnit::run() {
    const int u = Fabric::index(unit_);
    for (;;) {
        wait(f_.group_start);
        if (f_.over) return;
        const ScheduledGroup& g = f_.schedule->groups[static_cast<std::size_t>(f_.group)];
        GroupState& st = *f_.state;
        while (!st.unit_done(unit_)) {
            OpRef op;
            Cause why;
            if (!st.pick(unit_, op, why)) {
                stall(why == Cause::none ? (unit_ == mappings::Unit::array2d ? Cause::array1d : Cause::array2d) : why);
                wait(f_.unit_wake[static_cast<std::size_t>(u)]);
                continue;
            }
            unstall();
            st.start(op);
            const ScheduledEinsum& e = g.einsums[static_cast<std::size_t>(op.einsum)];
            const std::int64_t now = now_ticks();
            std::int64_t ticks = to_ticks(e.cycles_per_op);
            const std::int64_t rd = op_buffer_read_bytes(e, op.k), wr = op_buffer_write_bytes(e, op.k);
            if (rd + wr > 0) {
                std::int64_t end = f_.buffer->access(rd, false, now);
                if (wr > 0) end = std::max(end, f_.buffer->access(wr, true, now));
                ticks = std::max(ticks, end - now);
            }
            f_.units[static_cast<std::size_t>(u)].busy += ticks;
            f_.einsum_busy[static_cast<std::size_t>(e.einsum)] += ticks;
            ++f_.ops;
            if (f_.trace) f_.trace->add(track_, f_.trace->name(e.name), now, ticks);
            if (ticks > 0) wait(ticks_time(ticks));
            st.finish(op);
            f_.after_op(op.einsum);
        }
        unstall();
    }
}

} // namespace sim::systemc
