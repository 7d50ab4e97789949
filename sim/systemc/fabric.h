// What the modules of one SystemC simulation share: the schedule, the group being played and its
// state, the events that wake a unit or a tile stream when something it may wait for has changed,
// the memories, the timeline and the counters the Result is made of. Internal to sim/systemc.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include <systemc>

#include "sim/schedule.h"
#include "sim/systemc/dram.h"
#include "sim/systemc/global_buffer.h"
#include "sim/systemc/group_state.h"
#include "sim/systemc/trace.h"

namespace sim::systemc {

struct UnitCounters {
    std::int64_t busy = 0;                        // ticks running tile operations
    std::array<std::int64_t, 5> stalled{};        // ticks per Cause
};

struct Fabric {
    const Schedule* schedule = nullptr;
    int pipeline_depth = 3;
    std::int64_t dram_request_bytes = 65536;
    int group = -1;        // being played
    bool over = false;     // every group played: processes return
    std::unique_ptr<GroupState> state;
    sc_core::sc_event group_start, group_done;
    std::array<sc_core::sc_event, 2> unit_wake;   // array2d, array1d
    std::vector<std::vector<sc_core::sc_event*>> stream_wake; // [group][stream]
    Dram* dram = nullptr;
    GlobalBuffer* buffer = nullptr;
    Trace* trace = nullptr;                        // null: no timeline
    std::array<UnitCounters, 2> units;
    std::vector<std::int64_t> einsum_busy;         // per cascade Einsum: ticks its operations took
    std::int64_t ops = 0, transfers = 0;

    static int index(mappings::Unit u) { return u == mappings::Unit::array2d ? 0 : 1; }
    // After an operation of group position e finished: the other unit and the streams that wait on e.
    void after_op(int e) {
        const ScheduledGroup& g = schedule->groups[static_cast<std::size_t>(group)];
        unit_wake[1 - index(g.einsums[static_cast<std::size_t>(e)].unit)].notify();
        for (std::size_t s = 0; s < g.streams.size(); ++s)
            for (int u : g.streams[s].users)
                if (u == e) stream_wake[static_cast<std::size_t>(group)][s]->notify();
        if (state->finished()) group_done.notify();
    }
    // After a transfer of stream s: the units of its users (a tile arrived, or a write-back slot is
    // free again); no one else can start because of it.
    void after_transfer(int s) {
        const ScheduledGroup& g = schedule->groups[static_cast<std::size_t>(group)];
        bool wake[2] = {false, false};
        for (int u : g.streams[static_cast<std::size_t>(s)].users) wake[index(g.einsums[static_cast<std::size_t>(u)].unit)] = true;
        for (int k = 0; k < 2; ++k)
            if (wake[k]) unit_wake[static_cast<std::size_t>(k)].notify();
        if (state->finished()) group_done.notify();
    }
};

} // namespace sim::systemc
