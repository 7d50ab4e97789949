// The engine's clock: SystemC time with its default 1 ps resolution stands for a thousandth of a
// clock cycle (a tick), so cycle counts stay integers of ticks and exact. Internal to sim/systemc.
#pragma once
#include <cmath>
#include <cstdint>

#include <systemc>

#include "sim/systemc/trace.h"

namespace sim::systemc {

// Cycles are never negative here: rounding half up by truncation is llround's answer, without its cost.
inline std::int64_t to_ticks(double cycles) { return static_cast<std::int64_t>(cycles * static_cast<double>(ticks_per_cycle) + 0.5); }
inline double to_cycles(std::int64_t ticks) { return static_cast<double>(ticks) / static_cast<double>(ticks_per_cycle); }
inline std::int64_t now_ticks() { return static_cast<std::int64_t>(sc_core::sc_time_stamp().value()); }
inline sc_core::sc_time ticks_time(std::int64_t ticks) { return sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(ticks)); }

} // namespace sim::systemc
