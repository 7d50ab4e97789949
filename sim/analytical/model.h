// The analytical model of a spatial array: cycles of every Einsum on its unit from the loop nest
// (steps × spatial folds × time per step, at least its global-buffer accesses), group latency with
// the units overlapping in a pipeline or running one after another and with memory overlapped by
// double buffering (two tiles in flight: DRAM latency shared by two, streamed tiles overlapping only
// their own Einsum, first fill and last write-back exposed), utilization of every unit, traffic per
// level from the loop nest, and energy = Σ action counts × energy per action. The arithmetic is in
// model_plan.h, which the mapper's cost runs as well; the SystemC engine (sim/systemc) plays the
// same loop nest out in time and checks it.
#pragma once
#include "arch/spatial.h"
#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "mappings/loop_nest.h"
#include "mappings/mapping.h"
#include "sim/result.h"

namespace sim {

// Cycles one PE or lane spends per iteration point of an Einsum on its unit, and the operators it
// executes per point (a contraction on the 2D array is one MAC).
struct PointWork {
    double unit_cycles = 0;
    bool mac = false;
    std::vector<std::pair<std::string, double>> ops; // operator → count per point
    int operands = 0;                                // register-file reads per point
};
PointWork point_work(const einsum::Einsum& e, mappings::Unit unit, const arch::SpatialArch& a);

Result simulate_analytical(const einsum::Cascade& c, const einsum::Shape& s, const mappings::Mapping& m, const arch::SpatialArch& a,
                           const mappings::LoopNest& nest);

} // namespace sim
