// einsim simulate: one (cascade, shape, architecture, mapping) point through the analytical model;
// per-Einsum and total cycles, utilization per unit, traffic per level and energy by component.
#include <cmath>
#include <iostream>

#include "arch/arch.h"
#include "arch/load.h"
#include "cli/commands.h"
#include "cli/output_format.h"
#include "cli/simulate_edge.h"
#include "cli/simulate_gpu.h"
#include "cli/simulate_systemc.h"
#include "cli/spatial_inputs.h"
#include "reports/result_json.h"
#include "sim/spatial.h"

namespace cli {
namespace {

struct SimulateOptions {
    SpatialInputs in;
    std::string engine = "analytical";
    Format format = Format::table;
    std::vector<std::pair<std::string, std::string>> given; // (option, its help group) given on the command line
    GpuSimulateOptions gpu;
    EdgeSimulateOptions edge;
    SystemcSimulateOptions systemc;
};

void print_table(const sim::Result& r) {
    std::cout << "cascade " << r.cascade << " on " << r.arch << " with mapping " << r.mapping << " (" << r.engine << ")\n";
    std::cout << "shape " << r.shape << "\n\n";
    reports::Table t;
    t.columns = {"einsum", "unit", "group", "points", "macs", "cycles", "spatial util", "energy pJ"};
    for (const auto& e : r.einsums)
        t.add({e.name, e.unit, std::to_string(e.group), reports::grouped(e.points), reports::grouped(e.macs), reports::grouped(static_cast<long long>(e.cycles)),
               reports::number(std::round(e.spatial_utilization * 1000) / 1000), reports::number(std::round(e.energy_pj))});
    std::cout << t.text() << "\n";
    reports::Table g;
    g.columns = {"group", "cycles", "bound", "array2d", "array1d", "dram", "buffer"};
    for (const auto& x : r.groups)
        g.add({x.name, reports::grouped(static_cast<long long>(x.cycles)), x.bound, reports::grouped(static_cast<long long>(x.array2d_cycles)),
               reports::grouped(static_cast<long long>(x.array1d_cycles)), reports::grouped(static_cast<long long>(x.dram_cycles)),
               reports::grouped(static_cast<long long>(x.buffer_cycles))});
    std::cout << g.text() << "\n";
    std::cout << "total: " << reports::grouped(static_cast<long long>(r.cycles)) << " cycles, " << reports::number(r.time_s * 1e3) << " ms, "
              << reports::number(r.energy_pj / 1e6) << " uJ\n";
    std::cout << "utilization:";
    for (const auto& u : r.units) std::cout << " " << u.unit << "=" << reports::number(std::round(u.utilization * 10000) / 100) << "%";
    std::cout << "\ntraffic (read / write bytes):";
    for (const auto& l : r.traffic) std::cout << " " << l.level << "=" << reports::grouped(l.read_bytes) << "/" << reports::grouped(l.write_bytes);
    std::cout << "\nenergy (uJ):";
    for (const auto& e : r.energy) std::cout << " " << e.component << "=" << reports::number(std::round(e.energy_pj / 1e3) / 1e3);
    std::cout << "\nglobal buffer required: " << reports::grouped(r.buffer_bytes_required) << " bytes\n";
}

// Options of another architecture family (or of the SystemC engine without it) would be ignored
// without a word: refuse them, naming them.
void refuse_unused_options(const SimulateOptions& o, const ResolvedSpatial& in) {
    const bool gpu = in.arch.gpu() != nullptr, edge = in.arch.edge() != nullptr, systemc = o.engine == "systemc";
    std::string family = gpu ? "a GPU" : edge ? "an edge device" : "a spatial array";
    auto refuse = [&](const std::string& option, const std::string& why) {
        throw einsum::InputError({option, 0, 0, ""}, option + " " + why + "; " + in.arch.name + " is " + family);
    };
    for (const auto& [option, group] : o.given) {
        if (group == gpu_option_group && !gpu) refuse(option, "applies to GPU architectures");
        if (group == edge_option_group && !edge) refuse(option, "applies to edge devices");
        if (group == systemc_option_group && !systemc) refuse(option, "applies to --engine systemc");
        if (option == "--engine" && systemc && (gpu || edge)) refuse(option, "systemc simulates spatial arrays");
        if (option == "--mapping" && (gpu || edge)) refuse(option, "maps spatial arrays (GPU mappings are chosen with --decomposition or --policy)");
    }
}

int run_simulate(const SimulateOptions& o) {
    ResolvedSpatial in = resolve_spatial_inputs(o.in);
    refuse_unused_options(o, in);
    // Each architecture family has its own model; dispatch on the family.
    if (in.arch.gpu()) return run_gpu_simulate(in, o.gpu, o.format);
    if (in.arch.edge()) return run_edge_simulate(o.in, in, o.edge, o.format);
    if (!in.arch.spatial())
        throw einsum::InputError({o.in.arch, 0, 0, "kind"}, "architecture " + in.arch.name + " is of kind " +
                                                               std::string(arch::name(in.arch.kind())) + "; einsim simulate models spatial arrays");
    if (in.mapping.name.empty()) throw einsum::InputError({"--mapping", 0, 0, ""}, "a spatial array needs --mapping (a file or: fusemax, flat, unfused)");
    std::string note;
    sim::Result r = o.engine == "systemc" ? simulate_systemc(in, o.systemc, &note)
                                          : sim::simulate_spatial(in.cascade, in.shape, in.mapping, *in.arch.spatial(), in.arch.name);
    if (o.format == Format::json) {
        std::cout << reports::to_json(r).dump(2) << "\n";
    } else if (o.format == Format::csv) {
        reports::Table t;
        t.columns = {"cascade", "arch", "mapping", "shape"};
        for (const auto& c : reports::metric_columns()) t.columns.push_back(c);
        std::vector<std::string> row{r.cascade, r.arch, r.mapping, r.shape};
        for (const auto& v : reports::metric_values(r)) row.push_back(v);
        t.add(row);
        std::cout << t.csv();
    } else {
        print_table(r);
        if (o.engine == "systemc") print_systemc_activity(r, note);
    }
    return exit_ok;
}

} // namespace

void add_simulate_command(CLI::App& app, int& result) {
    auto o = std::make_shared<SimulateOptions>();
    CLI::App* cmd = app.add_subcommand("simulate", "Model one design point: cycles, utilization, traffic, energy");
    add_spatial_input_options(cmd, o->in, false);
    add_gpu_simulate_options(cmd, o->gpu);
    add_edge_simulate_options(cmd, o->edge);
    cmd->add_option("--engine", o->engine, "Cost model: analytical, or systemc (cycle-approximate simulation of the same mapping)")
        ->check(CLI::IsMember({"analytical", "systemc"}))
        ->default_val("analytical");
    add_systemc_simulate_options(cmd, o->systemc);
    add_format_option(cmd, o->format);
    cmd->callback([o, cmd, &result] {
        for (const CLI::Option* opt : cmd->get_options())
            if (opt->count() > 0) o->given.emplace_back(opt->get_name(), opt->get_group());
        result = run_simulate(*o);
    });
}

} // namespace cli
