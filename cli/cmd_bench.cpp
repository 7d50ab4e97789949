// einsim bench mapper: how fast the mapper evaluates mappings on one core, and how good its answer
// is after a fixed time, on a GEMM (BERT-Base QKᵀ of one head) and on FuseMax's cascade.
#include <cmath>
#include <unistd.h>
#include <iostream>

#include <filesystem>
#include <thread>

#include "arch/load.h"
#include "cli/number_checks.h"
#include "cli/sweep/runner.h"
#include "arch/set_value.h"
#include "cli/bench_systemc.h"
#include "cli/commands.h"
#include "cli/output_format.h"
#include "mappings/auto_mapping.h"
#include "mappings/instantiate.h"
#include "mappings/library.h"
#include "mappings/search.h"
#include "sim/spatial.h"
#include "workloads/library.h"
#include "workloads/model.h"

namespace cli {
namespace {

struct BenchOptions {
    double seconds = 1.0;
    Format format = Format::table;
};

struct Case {
    std::string name;
    mappings::SearchResult search;
    double utilization = 0;
    double ideal_cycles = 0;   // MACs over the array's peak
    double roofline_cycles = 0; // max(ideal, compulsory DRAM bytes over bandwidth)
    double best_cycles = 0;
    double seconds_to_90 = -1; // first time the best reached 90% of the roofline bound, -1 if never
};

Case run_case(const std::string& name, const einsum::Cascade& c, const einsum::ShapeBinding& shape, const arch::SpatialArch& a,
              const mappings::Mapping& base, double seconds, double compulsory_bytes) {
    einsum::Shape s = einsum::resolve_shape(c, shape);
    mappings::SearchSpace space = mappings::make_space(base, mappings::tile_limits(c, s, base));
    mappings::SearchOptions so;
    so.threads = 1;
    so.time_limit_s = seconds;
    so.max_evaluations = 100000000;
    Case k;
    k.name = name;
    k.search = mappings::search(space, sim::spatial_cost_function(c, shape, a), so);
    sim::Result best = sim::simulate_spatial(c, shape, *k.search.best, a, "bench");
    k.utilization = best.utilization("array2d");
    k.best_cycles = best.cycles;
    k.ideal_cycles = static_cast<double>(best.macs) / a.peak_macs_per_cycle();
    k.roofline_cycles = std::max(k.ideal_cycles, compulsory_bytes / a.dram_bandwidth_bytes_per_cycle());
    for (const auto& [t, cycles] : k.search.trace)
        if (k.roofline_cycles / cycles >= 0.9) {
            k.seconds_to_90 = t;
            break;
        }
    return k;
}

int run_bench_mapper(const BenchOptions& o) {
    const std::string data = workloads::data_dir();
    arch::Arch cloud = arch::load_preset("cloud", data);
    einsum::Cascade gemm = workloads::load_cascade("gemm");
    einsum::ShapeBinding gshape = einsum::parse_shape_binding("K=64,M=1024,N=1024");
    const double gemm_bytes = 2.0 * (64 * 1024 * 2 + 1024 * 1024);
    std::vector<Case> cases;
    cases.push_back(run_case("gemm 1024x1024x64 on cloud", gemm, gshape, *cloud.spatial(), mappings::auto_structure(gemm, *cloud.spatial()),
                             o.seconds, gemm_bytes));
    // The same search on an array whose DRAM never limits it: the answer must reach the compute bound.
    arch::Arch fast = cloud;
    arch::set_value(fast, "dram.bandwidth_gb_per_s", 1e6, "bench");
    cases.push_back(run_case("gemm 1024x1024x64, unbounded DRAM", gemm, gshape, *fast.spatial(), mappings::auto_structure(gemm, *fast.spatial()),
                             o.seconds, 0));
    arch::Arch fm = arch::load_preset("cloud-fusemax", data);
    einsum::Cascade fc = workloads::load_cascade("fusemax");
    einsum::ShapeBinding fshape = workloads::bind_model(workloads::load_model("bert-base"), fc, 4096, 4096, 1);
    mappings::Mapping fbase = mappings::instantiate(mappings::load_named_mapping("fusemax", data), fc, fshape, *fm.spatial());
    const double fbytes = 2.0 * 12 * 4096 * 64 * 4; // Q, K, V and AV once
    cases.push_back(run_case("fusemax BERT-Base M=4096 on cloud-fusemax", fc, fshape, *fm.spatial(), fbase, o.seconds, fbytes));

    reports::Table t;
    t.columns = {"case", "evaluated", "legal", "seconds", "mappings/s/core", "best cycles", "roofline cycles", "of roofline", "util 2d", "s to 90%"};
    nlohmann::ordered_json j;
    for (const auto& k : cases) {
        t.add({k.name, std::to_string(k.search.evaluated), std::to_string(k.search.legal), reports::number(k.search.seconds),
               std::to_string(static_cast<long long>(k.search.rate())), reports::number(std::round(k.best_cycles)),
               reports::number(std::round(k.roofline_cycles)), reports::number(std::round(1000 * k.roofline_cycles / k.best_cycles) / 1000),
               reports::number(std::round(1000 * k.utilization) / 1000), k.seconds_to_90 < 0 ? "never" : reports::number(k.seconds_to_90)});
        j["cases"].push_back({{"case", k.name}, {"evaluated", k.search.evaluated}, {"legal", k.search.legal}, {"seconds", k.search.seconds},
                              {"mappings_per_second_per_core", k.search.rate()}, {"best_cycles", k.best_cycles}, {"ideal_cycles", k.ideal_cycles},
                              {"roofline_cycles", k.roofline_cycles}, {"fraction_of_roofline", k.roofline_cycles / k.best_cycles},
                              {"utilization_2d", k.utilization}, {"seconds_to_90pct", k.seconds_to_90}, {"exhaustive", k.search.exhaustive}});
    }
    if (o.format == Format::json) std::cout << j.dump(2) << "\n";
    else if (o.format == Format::csv) std::cout << t.csv();
    else std::cout << "einsim bench mapper: one core, " << o.seconds << " s per case\n\n" << t.text();
    return exit_ok;
}

// The 10,080-point architecture grid through the sweep runner, on every core, into a scratch file.
int run_bench_sweep(const BenchOptions& o, int threads) {
    sweep::SweepSpec s = sweep::load_sweep(workloads::data_dir() + "/workloads/sweeps/arch_grid.toml");
    sweep::RunOptions ro;
    ro.out = (std::filesystem::temp_directory_path() / ("einsim-bench-sweep-" + std::to_string(::getpid()) + ".csv")).string();
    ro.threads = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    ro.force = true;
    ro.progress = false;
    sweep::RunStats st = sweep::run_sweep(s, ro);
    std::error_code ec;
    std::filesystem::remove(ro.out, ec);
    double rate = st.wall_s > 0 ? static_cast<double>(st.run) / st.wall_s : 0;
    nlohmann::ordered_json j{{"sweep", s.name}, {"points", st.run}, {"illegal", st.illegal}, {"threads", ro.threads}, {"wall_s", st.wall_s},
                             {"points_per_s", rate}, {"points_per_s_per_thread", rate / ro.threads}};
    if (o.format == Format::json) std::cout << j.dump(2) << "\n";
    else
        std::cout << "einsim bench sweep: " << st.run << " points (" << st.illegal << " illegal) of " << s.name << " on " << ro.threads << " threads in "
                  << st.wall_s << " s: " << static_cast<long long>(rate) << " points/s, " << static_cast<long long>(rate / ro.threads)
                  << " per thread\n";
    return exit_ok;
}

} // namespace

void add_bench_command(CLI::App& app, int& result) {
    CLI::App* bench = app.add_subcommand("bench", "Benchmarks: rates and ratios measured side by side");
    bench->require_subcommand(1);
    auto o = std::make_shared<BenchOptions>();
    CLI::App* mapper = bench->add_subcommand("mapper", "Mapper speed (mappings evaluated per second per core) and answer quality");
    mapper->add_option("--seconds", o->seconds, "Search time per case")->check(positive_number())->default_val(1.0);
    add_format_option(mapper, o->format);
    mapper->callback([o, &result] { result = run_bench_mapper(*o); });
    auto threads = std::make_shared<int>(0);
    CLI::App* sw = bench->add_subcommand("sweep", "Sweep throughput: the 10,080-point architecture grid (points per second)");
    sw->add_option("-j,--threads", *threads, "Threads (default: all cores)")->check(non_negative_number());
    add_format_option(sw, o->format);
    sw->callback([o, threads, &result] { result = run_bench_sweep(*o, *threads); });
    add_bench_systemc_command(bench, result);
}

} // namespace cli
