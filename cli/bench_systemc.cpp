#include "cli/bench_systemc.h"

#include <chrono>
#include <cmath>
#include <iostream>

#include "arch/load.h"
#include "cli/commands.h"
#include "cli/number_checks.h"
#include "cli/output_format.h"
#include "mappings/library.h"
#include "reports/table.h"
#include "sim/systemc/engine.h"
#include "workloads/library.h"
#include "workloads/model.h"

namespace cli {
namespace {

struct BenchSystemcOptions {
    std::string model = "bert-base";
    long long seq = 65536;
    bool all = false; // FLAT and unfused too
    Format format = Format::table;
};

struct Case {
    std::string name;
    sim::systemc::Run run;
    double total_s = 0; // instantiation, loop nest, analytical model and simulation
};

int run_bench_systemc(const BenchSystemcOptions& o) {
    const std::string data = workloads::data_dir();
    workloads::ModelShape model = workloads::load_model(o.model);
    struct Design {
        const char* name;
        const char* cascade;
        const char* mapping;
        const char* arch;
    };
    std::vector<Design> designs{{"fusemax", "fusemax", "fusemax", "cloud-fusemax"}};
    if (o.all) {
        designs.push_back({"flat", "attention_3pass", "flat", "cloud-flat"});
        designs.push_back({"unfused", "attention_3pass", "unfused", "cloud-flat"});
    }
    std::vector<Case> cases;
    for (const auto& d : designs) {
        arch::Arch a = arch::load_preset(d.arch, data);
        einsum::Cascade c = workloads::load_cascade(d.cascade);
        mappings::Mapping m = mappings::load_named_mapping(d.mapping, data);
        auto t0 = std::chrono::steady_clock::now();
        Case k;
        k.name = std::string(d.name) + " " + model.id + " M=" + std::to_string(o.seq) + " on " + d.arch;
        k.run = sim::systemc::simulate_spatial(c, workloads::bind_model(model, c, o.seq, o.seq, 1), m, *a.spatial(), a.name);
        k.total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        cases.push_back(std::move(k));
    }
    reports::Table t;
    t.columns = {"case", "tile events", "simulate s", "total s", "events/s", "cycles", "analytical cycles", "diff %"};
    nlohmann::ordered_json j;
    for (const auto& k : cases) {
        const double rate = k.run.wall_s > 0 ? static_cast<double>(k.run.events) / k.run.wall_s : 0;
        const double diff = 100 * (k.run.result.cycles / k.run.analytical.cycles - 1);
        t.add({k.name, reports::grouped(k.run.events), reports::number(std::round(k.run.wall_s * 1000) / 1000),
               reports::number(std::round(k.total_s * 1000) / 1000), reports::grouped(static_cast<long long>(rate)),
               reports::grouped(static_cast<long long>(k.run.result.cycles)), reports::grouped(static_cast<long long>(k.run.analytical.cycles)),
               reports::number(std::round(diff * 100) / 100)});
        j["cases"].push_back({{"case", k.name}, {"events", k.run.events}, {"simulate_s", k.run.wall_s}, {"total_s", k.total_s},
                              {"events_per_s", rate}, {"cycles", k.run.result.cycles}, {"analytical_cycles", k.run.analytical.cycles},
                              {"diff_percent", diff}});
    }
    if (o.format == Format::json) std::cout << j.dump(2) << "\n";
    else if (o.format == Format::csv) std::cout << t.csv();
    else std::cout << "einsim bench systemc: one core; tile events = tile operations + DRAM transfers\n\n" << t.text();
    return exit_ok;
}

} // namespace

void add_bench_systemc_command(CLI::App* bench, int& result) {
    auto o = std::make_shared<BenchSystemcOptions>();
    CLI::App* cmd = bench->add_subcommand("systemc", "SystemC engine speed: tile events per second, wall time of BERT-Base attention at M=64K on FuseMax");
    cmd->add_option("--model", o->model, "Model shape (default bert-base)");
    cmd->add_option("--seq", o->seq, "Sequence length (default 65536)")->check(integer_in(1, max_extent));
    cmd->add_flag("--all", o->all, "FLAT and unfused as well");
    add_format_option(cmd, o->format);
    cmd->callback([o, &result] { result = run_bench_systemc(*o); });
}

} // namespace cli
