// The SystemC branch of `einsim simulate` (--engine systemc): its options (--trace and the DRAM
// timing the architecture does not give), the run, and what it prints beyond the analytical table:
// where each unit's cycles went and how far the result is from the analytical model, and why.
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "cli/spatial_inputs.h"
#include "sim/result.h"
#include "sim/systemc/options.h"

namespace cli {

// The help group of these options (simulate refuses them on other architectures).
inline constexpr const char* systemc_option_group = "SystemC engine (--engine systemc)";

struct SystemcSimulateOptions {
    std::string trace; // Chrome trace-event JSON path, empty: none
    sim::systemc::Options engine;
};

void add_systemc_simulate_options(CLI::App* cmd, SystemcSimulateOptions& o);

// Simulates the spatial point and writes the trace when asked. `note` gets the comparison with the
// analytical model (explain(): empty within 3%).
sim::Result simulate_systemc(const ResolvedSpatial& in, const SystemcSimulateOptions& o, std::string* note = nullptr);

// Busy / stalled / idle cycles per unit and the stalls by cause, after the table.
void print_systemc_activity(const sim::Result& r, const std::string& note);

} // namespace cli
