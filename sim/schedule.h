// The schedule of a mapping: the stream of tile operations and tile transfers that its loop nest
// implies, group by group and iteration by iteration, with their dependencies. Derived from the
// LoopNest (mappings/loop_nest.h) and nothing else: every Einsum's tile operation costs what the
// analytical model charges for one step (spatial folds × inner extent × cycles per point), and the
// bytes of every transfer and buffer access are the nest's per-tensor totals spread over the
// operations, so a model that plays the schedule out moves exactly the analytical model's bytes.
//
// The schedule is kept in closed form — per group its loops, per Einsum where it runs in them, per
// tensor stream how many transfers and where — and the functions below answer "which iteration is
// operation k", "how many operations of this Einsum come up to iteration i", "which transfer does
// the operation at (i, s) need" by arithmetic, so that a 10-million-operation schedule takes no memory.
//
// Iterations of a group: its DRAM loops then its buffer loops, outer first, in mixed radix.
// Within an iteration the group's Einsums run in cascade order; an Einsum with DRAM loops of its own
// (`loops` in the mapping: FLAT's sweep over M) runs that many sub-steps; an Einsum that lacks some
// group loop runs once across it — at its first index, or at its last when it reads something the
// loop produces (FuseMax's AV after the last M1 tile).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "arch/spatial.h"
#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "mappings/loop_nest.h"
#include "mappings/mapping.h"

namespace sim {

// One Einsum's tile operations within its group.
struct ScheduledEinsum {
    int einsum = 0;                    // index in the cascade
    std::string name;
    mappings::Unit unit = mappings::Unit::array2d;
    double cycles_per_op = 0;          // the analytical model's cost of one step on its unit
    std::int64_t ops = 0;              // tile operations in all (the nest's steps)
    std::int64_t substeps = 1;         // sub-steps per group iteration (its own DRAM loops)
    std::vector<std::int64_t> fixed;   // per group loop: -1 when it iterates the loop, else the index where it runs
    std::vector<int> producers;        // group positions of the Einsums whose outputs it reads (itself excluded)
    std::vector<int> loads;            // load streams it reads
    std::vector<int> stores;           // write-back streams of what it writes
    std::int64_t buffer_read_bytes = 0, buffer_write_bytes = 0; // of all its operations; spread evenly (the first ones take the remainder)
    // Counting helpers, per group loop: the product of the extents it iterates inside that loop.
    std::vector<std::int64_t> inner_product;
};

// A tensor moved between DRAM and the global buffer: a load stream (DRAM → buffer) or a write-back
// stream (buffer → DRAM). Transfer n serves the positions [n·positions_per_transfer, (n+1)·…) of
// the radix (DRAM loops, then the user's own loops when it streams the tensor through them).
struct ScheduledStream {
    std::string tensor;
    bool load = true;
    int slots = 2;                       // tiles the buffer holds for it: 2 when double-buffered
    std::int64_t transfers = 0;
    std::int64_t bytes = 0;              // DRAM bytes of all transfers; spread evenly (the first ones take the remainder)
    std::int64_t tile_bytes = 0;         // the nest's tile × element size: what one transfer should move
    std::int64_t substeps = 1;           // 1, or the user's sub-steps when it streams the tensor through its own loops
    std::int64_t positions_per_transfer = 1;
    std::vector<int> users;              // group positions: readers (load) or the producer (write-back)
};

struct ScheduledGroup {
    std::string name;
    bool pipeline = false;               // units overlap across iterations; else one operation at a time
    bool double_buffer = true;
    std::vector<std::string> loops;      // DRAM loops, then buffer loops
    std::vector<std::int64_t> extents;
    std::vector<std::int64_t> strides;   // per loop: iterations per step of that loop (the product of the inner extents)
    std::int64_t buffer_iterations = 1;  // product of the buffer loops
    std::int64_t iterations = 1;
    std::vector<ScheduledEinsum> einsums; // cascade order
    std::vector<ScheduledStream> streams;
};

struct Schedule {
    std::vector<ScheduledGroup> groups;
    std::int64_t element_bytes = 2;
};

// Throws einsum::InputError when the nest has no Einsums for a group of the mapping.
Schedule build_schedule(const einsum::Cascade& c, const einsum::Shape& s, const arch::SpatialArch& a, const mappings::Mapping& m,
                        const mappings::LoopNest& nest);

// --- Arithmetic on a group's iteration space -----------------------------------------------------
bool runs_in(const ScheduledGroup& g, const ScheduledEinsum& e, std::int64_t iteration);
// Operations of `e` in iterations [0, iteration] (all their sub-steps); 0 for iteration < 0.
std::int64_t ops_through(const ScheduledGroup& g, const ScheduledEinsum& e, std::int64_t iteration);
// The same from an iteration's digits (one per group loop, outer first; 0 <= iteration < iterations),
// for a caller that asks about several Einsums at one iteration: no divisions.
void iteration_digits(const ScheduledGroup& g, std::int64_t iteration, std::int64_t* digits);
bool runs_in_digits(const ScheduledEinsum& e, const std::int64_t* digits);
std::int64_t ops_through_digits(const ScheduledEinsum& e, const std::int64_t* digits);
struct OpPlace {
    std::int64_t iteration = 0, substep = 0;
};
// Where operation k (0-based) of `e` runs.
OpPlace place_of(const ScheduledGroup& g, const ScheduledEinsum& e, std::int64_t k);
// The transfer of stream `st` that the operation at (iteration, substep) reads or writes.
std::int64_t transfer_of(const ScheduledGroup& g, const ScheduledStream& st, std::int64_t iteration, std::int64_t substep);
// Operations the stream's user `u` has completed once it is done with transfer n: a load's slot is
// free again, a write-back's tile is complete.
std::int64_t ops_done_with(const ScheduledGroup& g, const ScheduledStream& st, const ScheduledEinsum& u, std::int64_t n);
// Bytes of transfer n, and the buffer bytes operation k of `e` reads and writes.
std::int64_t transfer_bytes(const ScheduledStream& st, std::int64_t n);
std::int64_t op_buffer_read_bytes(const ScheduledEinsum& e, std::int64_t k);
std::int64_t op_buffer_write_bytes(const ScheduledEinsum& e, std::int64_t k);
// Operations of the group in iteration i.
std::int64_t ops_in(const ScheduledGroup& g, std::int64_t iteration);

// What the schedule adds up to, per group: the analytical model's unit cycles and the bytes per level.
struct ScheduleTotals {
    std::vector<double> array2d_cycles, array1d_cycles; // per group
    std::int64_t ops = 0, transfers = 0;
    std::int64_t dram_read_bytes = 0, dram_write_bytes = 0, buffer_read_bytes = 0, buffer_write_bytes = 0;
};
ScheduleTotals totals(const Schedule& s);

// One tile operation or transfer of the schedule, for walking it in program order.
struct ScheduledEvent {
    enum class Kind { load, op, store } kind = Kind::op;
    int index = 0;                       // group position of the Einsum, or the stream
    std::int64_t seq = 0;                // operation k of the Einsum, or transfer n of the stream
    std::int64_t iteration = 0, substep = 0;
};
// Calls `f` for every event of group g in program order: per iteration its loads (at the first
// position they serve), its operations, then the write-backs of tiles it completes. For tests and
// small schedules: it visits every operation.
void for_each_event(const ScheduledGroup& g, const std::function<void(const ScheduledEvent&)>& f);

} // namespace sim
