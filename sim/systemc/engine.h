// The SystemC engine: plays a mapping's schedule (sim/schedule.h) out in time on a transaction-level
// model of the spatial array — DRAM, global buffer, 2D and 1D arrays, a tile stream per tensor —
// one SystemC event per tile operation or transfer, never per MAC. It gives the analytical model's
// Result (same fields, engine = "systemc") with the cycles the run took, where each unit's time went
// (busy, stalled by cause, idle), the same bytes per level, and energy from the analytical model's
// action counts with static energy over the simulated time; and, when asked, the timeline.
//
// Groups run one after another (a group starts when the previous one has written back its last
// tile), as the analytical model sums them. SystemC's kernel is global to the process: runs are
// serialized (kernel.h); each builds its own simulation context from scratch.
#pragma once
#include <cstdint>
#include <string>

#include "arch/spatial.h"
#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "mappings/loop_nest.h"
#include "mappings/mapping.h"
#include "sim/result.h"
#include "sim/systemc/options.h"
#include "sim/systemc/trace.h"

namespace sim::systemc {

struct Run {
    Result result;           // engine = "systemc"
    Result analytical;       // the same point under the analytical model
    Trace trace;             // when Options::trace
    std::int64_t events = 0; // tile operations and transfers simulated
    double wall_s = 0;       // host time of the simulation proper
};

// An instantiated mapping with its loop nest (sim::prepare_spatial makes them).
Run simulate(const einsum::Cascade& c, const einsum::Shape& s, const mappings::Mapping& m, const arch::SpatialArch& a,
             const mappings::LoopNest& nest, const Options& o = {});
// A mapping template end to end, like sim::simulate_spatial; throws einsum::InputError the same way.
Run simulate_spatial(const einsum::Cascade& c, const einsum::ShapeBinding& shape, const mappings::Mapping& tmpl, const arch::SpatialArch& a,
                     const std::string& arch_name, const Options& o = {});

// Why the SystemC cycles differ from the analytical model's by more than `threshold` (a fraction):
// the difference and the stall that explains it, e.g. "+3.4% vs analytical: array2d waits on dram
// 7.1M cycles (3.3%)". Empty within the threshold.
std::string explain(const Result& systemc, const Result& analytical, double threshold = 0.03);

} // namespace sim::systemc
