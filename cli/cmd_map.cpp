// einsim map: search mappings of a cascade on a spatial architecture for latency, energy or EDP;
// prints the best mapping as TOML (with the search statistics as comments) or JSON.
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "cli/number_checks.h"
#include "cli/output_format.h"
#include "cli/spatial_inputs.h"
#include "mappings/auto_mapping.h"
#include "mappings/instantiate.h"
#include "mappings/search.h"
#include "reports/result_json.h"
#include "reports/table.h"
#include "sim/spatial.h"

namespace cli {
namespace {

struct MapOptions {
    SpatialInputs in;
    std::string objective = "latency";
    std::uint64_t seed = 1;
    long long max_evals = 200000;
    int threads = 0;
    double time_limit = 0;
    Format format = Format::table;
};

int run_map(const MapOptions& o) {
    ResolvedSpatial in = resolve_spatial_inputs(o.in);
    if (!in.arch.spatial()) throw einsum::InputError({o.in.arch, 0, 0, "kind"}, "einsim map searches spatial-array mappings; " + in.arch.name + " is not one");
    const arch::SpatialArch& a = *in.arch.spatial();
    mappings::Mapping base = in.mapping.name.empty() ? mappings::auto_structure(in.cascade, a)
                                                     : mappings::instantiate(in.mapping, in.cascade, in.shape, a);
    einsum::Shape shape = einsum::resolve_shape(in.cascade, in.shape);
    mappings::SearchSpace space = mappings::make_space(base, mappings::tile_limits(in.cascade, shape, base));
    mappings::SearchOptions so;
    so.objective = mappings::parse_objective(o.objective);
    so.seed = o.seed;
    so.max_evaluations = o.max_evals;
    so.threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    so.time_limit_s = o.time_limit;
    mappings::SearchResult r = mappings::search(space, sim::spatial_cost_function(in.cascade, in.shape, a), so);
    if (!r.best) throw einsum::InputError({o.in.cascade, 0, 0, ""}, "no legal mapping found among " + std::to_string(r.evaluated) + " evaluated");
    r.best->name = "mapped-" + in.cascade.name;
    r.best->description = "Found by einsim map (" + o.objective + ") on " + in.arch.name;
    sim::Result best = sim::simulate_spatial(in.cascade, in.shape, *r.best, a, in.arch.name);
    double per_thread = r.rate() / so.threads;
    if (o.format == Format::json) {
        nlohmann::ordered_json j{{"objective", o.objective}, {"space_size", space.size()}, {"exhaustive", r.exhaustive}, {"evaluated", r.evaluated},
                                 {"legal", r.legal}, {"seconds", r.seconds}, {"mappings_per_second", r.rate()}, {"threads", so.threads},
                                 {"mappings_per_second_per_thread", per_thread}, {"mapping_toml", mappings::to_toml(*r.best)},
                                 {"result", reports::to_json(best)}};
        std::cout << j.dump(2) << "\n";
        return exit_ok;
    }
    if (o.format == Format::csv) { // one row: the search, then the best mapping's metrics (as simulate --format csv)
        reports::Table t;
        t.columns = {"objective", "cascade", "arch", "shape", "space_size", "evaluated", "legal", "exhaustive", "seconds", "mappings_per_second"};
        for (const auto& c : reports::metric_columns()) t.columns.push_back(c);
        std::vector<std::string> row{o.objective, in.cascade.name, in.arch.name, shape.str(), reports::number(double(space.size())), std::to_string(r.evaluated),
                                     std::to_string(r.legal), r.exhaustive ? "1" : "0", reports::number(r.seconds), reports::number(r.rate())};
        for (const auto& v : reports::metric_values(best)) row.push_back(v);
        t.add(row);
        std::cout << t.csv();
        return exit_ok;
    }
    std::cout << "# einsim map: objective " << o.objective << ", " << in.cascade.name << " on " << in.arch.name << ", shape "
              << shape.str() << "\n# evaluated " << r.evaluated << " mappings (" << r.legal << " legal) of a space of " << space.size() << " in "
              << r.seconds << " s: " << static_cast<long long>(r.rate()) << " per second, " << static_cast<long long>(per_thread)
              << " per second per thread (" << so.threads << " threads)" << (r.exhaustive ? ", exhaustive" : "") << "\n# best: "
              << best.cycles << " cycles, " << best.energy_pj << " pJ, utilization array2d " << best.utilization("array2d") << ", array1d "
              << best.utilization("array1d") << "\n"
              << mappings::to_toml(*r.best);
    return exit_ok;
}

} // namespace

void add_map_command(CLI::App& app, int& result) {
    auto o = std::make_shared<MapOptions>();
    CLI::App* cmd = app.add_subcommand("map", "Search mappings of a cascade on a spatial architecture");
    add_spatial_input_options(cmd, o->in, false);
    cmd->add_option("--objective", o->objective, "latency, energy or edp")->check(CLI::IsMember({"latency", "energy", "edp"}))->default_val("latency");
    cmd->add_option("--seed", o->seed, "Seed of the random sampling")->default_val(1);
    cmd->add_option("--max-evals", o->max_evals, "Evaluation budget")->check(positive_number())->default_val(200000);
    cmd->add_option("-j,--threads", o->threads, "Threads (default: all cores)")->check(non_negative_number());
    cmd->add_option("--time-limit", o->time_limit, "Stop after this many seconds (0: none)")->check(non_negative_number());
    add_format_option(cmd, o->format);
    cmd->callback([o, &result] { result = run_map(*o); });
}

} // namespace cli
