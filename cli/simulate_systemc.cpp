#include "cli/simulate_systemc.h"

#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/number_checks.h"
#include "reports/report_files.h"
#include "reports/table.h"
#include "sim/systemc/engine.h"

namespace cli {

void add_systemc_simulate_options(CLI::App* cmd, SystemcSimulateOptions& o) {
    const std::string group = systemc_option_group;
    cmd->add_option("--trace", o.trace, "Write the timeline as Chrome trace-event JSON (open in Perfetto)")->group(group);
    cmd->add_option("--dram-latency-ns", o.engine.dram_latency_ns, "DRAM latency (default: the architecture's dram.latency_ns)")->check(number_in(0, 1e6))->group(group);
    cmd->add_option("--dram-channels", o.engine.dram_channels, "DRAM channels (default 8)")->check(positive_number())->group(group);
    cmd->add_option("--dram-burst", o.engine.dram_burst_bytes, "DRAM burst bytes (default 64)")->check(positive_number())->group(group);
    cmd->add_option("--dram-request", o.engine.dram_request_bytes, "Largest DRAM request of a stream's DMA, in bytes; streams interleave between requests (default 65536)")
        ->check(positive_number())
        ->group(group);
    cmd->add_option("--pipeline-depth", o.engine.pipeline_depth, "Iterations in flight in a pipelined group (default 3)")->check(positive_number())->group(group);
}

sim::Result simulate_systemc(const ResolvedSpatial& in, const SystemcSimulateOptions& o, std::string* note) {
    sim::systemc::Options eo = o.engine;
    eo.trace = !o.trace.empty();
    if (eo.trace) {
        // Before a long simulation: the trace's folder must exist.
        const std::filesystem::path folder = std::filesystem::path(o.trace).parent_path();
        if (!folder.empty() && !std::filesystem::is_directory(folder))
            throw einsum::InputError({"--trace", 0, 0, ""}, "cannot write the trace to " + o.trace + ": no folder " + folder.string());
    }
    sim::systemc::Run run = sim::systemc::simulate_spatial(in.cascade, in.shape, in.mapping, *in.arch.spatial(), in.arch.name, eo);
    if (eo.trace) {
        // All or nothing: a reader never opens half a timeline.
        std::ostringstream out;
        sim::systemc::write_chrome_trace(run.trace, out);
        try {
            reports::write_files_atomically({{o.trace, out.str()}});
        } catch (const std::runtime_error& e) {
            throw einsum::InputError({"--trace", 0, 0, ""}, e.what());
        }
        if (run.trace.dropped > 0)
            std::cerr << "einsim: the trace keeps the first " << run.trace.events.size() << " events (" << run.trace.dropped << " more not written)\n";
    }
    if (note) {
        *note = sim::systemc::explain(run.result, run.analytical);
        if (note->empty()) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "%+.2f%% vs analytical (%.0f cycles)", 100 * (run.result.cycles / run.analytical.cycles - 1), run.analytical.cycles);
            *note = buf;
        }
    }
    return run.result;
}

void print_systemc_activity(const sim::Result& r, const std::string& note) {
    reports::Table t;
    t.columns = {"unit", "busy", "stalled", "idle", "busy %"};
    for (const auto& a : r.activity)
        t.add({a.unit, reports::grouped(static_cast<long long>(a.busy_cycles)), reports::grouped(static_cast<long long>(a.stalled_cycles)),
               reports::grouped(static_cast<long long>(a.idle_cycles)), reports::number(std::round(1000 * a.busy_cycles / std::max(r.cycles, 1.0)) / 10)});
    std::cout << "\n" << t.text();
    if (!r.stalls.empty()) {
        std::cout << "stalls:";
        for (const auto& s : r.stalls) std::cout << " " << s.unit << " waits on " << s.cause << " " << reports::grouped(static_cast<long long>(s.cycles));
        std::cout << "\n";
    }
    if (!note.empty()) std::cout << "systemc " << note << "\n";
}

} // namespace cli
