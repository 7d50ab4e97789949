// The play-out state of one group of the schedule: which tile operations have started and finished,
// which transfers have arrived, which iterations are in flight — and from these, which operation a
// unit may start now, or why it may not. Plain C++ (no SystemC): the modules ask it and advance it.
//
// Rules (sim/schedule.h says what the operations and transfers are):
// - an Einsum's operations run in order on its unit, one at a time;
// - an operation waits for the operations of the same group that produce what it reads (in its
//   iteration, or the previous one for a tensor carried across iterations), for the load of every
//   tile it reads, and for a free slot in the buffer for the tile it writes back to DRAM;
// - pipelined group: a unit starts a ready operation among the iterations in flight (at most
//   pipeline_depth from the oldest unfinished): first one whose result the other unit reads, then
//   the oldest (a sequencer that issues the other array's inputs first keeps both arrays busy);
//   serial group: one operation at a time, in program order;
// - a load may start when its slot is free (the transfer `slots` earlier is no longer needed);
//   a write-back when the tile is complete.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/schedule.h"

namespace sim::systemc {

enum class Cause { none, dram, array2d, array1d, buffer_space };
const char* name(Cause c);

struct OpRef {
    int einsum = -1; // group position
    std::int64_t k = 0;
    OpPlace place;
};

class GroupState {
public:
    GroupState(const ScheduledGroup& g, int pipeline_depth);
    const ScheduledGroup& group() const { return g_; }

    // The operation `unit` may start now; false with the cause when none (Cause::none: nothing left for it).
    bool pick(mappings::Unit unit, OpRef& out, Cause& why);
    void start(const OpRef& op);
    void finish(const OpRef& op);
    bool unit_done(mappings::Unit unit) const { return remaining_[unit_index(unit)] == 0; }

    bool load_may_start(int stream, std::int64_t n);
    bool store_may_start(int stream, std::int64_t n);
    void loaded(int stream) { ++transferred_[stream]; }
    void stored(int stream) { ++transferred_[stream]; }
    std::int64_t transferred(int stream) const { return transferred_[stream]; }
    // Every operation finished and every tile written back.
    bool finished() const;

private:
    struct Next {
        std::int64_t k = -1;
        OpPlace place;
        std::vector<std::int64_t> need;       // per producer: its operations that must have finished
        std::vector<std::int64_t> load_index; // per load stream: the transfer it reads
        std::vector<std::int64_t> store_need; // per write-back stream: transfers that must have finished
    };
    static int unit_index(mappings::Unit u) { return u == mappings::Unit::array2d ? 0 : 1; }
    void refresh(int e);
    bool ready(int e) const;    // e's next operation may start
    Cause blocked(int e) const; // its first unmet condition; none for a producer on the same unit (not the root cause)
    void advance_window();
    void advance_pc();

    const ScheduledGroup& g_;
    bool pipeline_;
    int depth_;
    std::vector<std::int64_t> started_, done_, transferred_;
    std::vector<Next> next_;
    std::vector<std::vector<int>> unit_einsums_; // per unit
    std::vector<char> feeds_other_;              // per Einsum: the other unit reads what it makes
    std::int64_t remaining_[2] = {0, 0};         // operations per unit not yet started
    // Pipelined: operations left in the iterations [oldest_, oldest_ + depth_), in a ring.
    std::int64_t oldest_ = 0;
    std::vector<std::int64_t> left_;
    // Serial: the next operation in program order, and whether one is running.
    int pc_einsum_ = -1;
    std::int64_t pc_iteration_ = 0, pc_substep_ = 0;
    int in_flight_ = 0;
    // Load slots and write-back tiles: the transfer last checked and what it needs.
    struct StreamNeed {
        std::int64_t n = -1;
        std::vector<std::int64_t> need; // per user
    };
    std::vector<StreamNeed> stream_need_;
    // Per Einsum: the place of its next operation, as digits per group loop and a sub-step.
    struct Cursor {
        std::vector<std::int64_t> digits;
        std::int64_t substep = 0;
    };
    std::vector<Cursor> cursors_;
    std::vector<std::int64_t> digits_before_; // scratch for refresh()
};

} // namespace sim::systemc
