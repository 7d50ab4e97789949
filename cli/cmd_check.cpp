// einsim check FILE: validate a cascade; print its ranks, DAG, per-Einsum operation counts and the
// number of passes over each sequence rank with the reason for every pass boundary.
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/output_format.h"
#include "einsum/dag.h"
#include "einsum/op_counts.h"
#include "einsum/pass_analysis.h"
#include "einsum/shape.h"
#include "workloads/library.h"

namespace cli {
namespace {

struct CheckOptions {
    std::string file;
    std::string shape;
    Format format = Format::table;
};

std::string join(const std::vector<std::string>& v, const char* sep = ",") {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

std::vector<std::string> reads_of(const einsum::Einsum& e) {
    std::vector<const einsum::Access*> acc;
    e.expr.collect_accesses(acc);
    std::vector<std::string> names;
    for (const auto* a : acc)
        if (std::find(names.begin(), names.end(), a->tensor) == names.end()) names.push_back(a->tensor);
    return names;
}

int run_check(const CheckOptions& o) {
    einsum::Cascade c = workloads::load_cascade(o.file);
    auto passes = einsum::analyze_passes(c);
    std::optional<einsum::Shape> shape;
    std::string shape_note;
    try {
        shape = einsum::resolve_shape(c, einsum::parse_shape_binding(o.shape));
    } catch (const einsum::InputError& e) {
        if (!o.shape.empty()) throw;
        shape_note = "no operation counts: " + e.reason();
    }
    std::optional<einsum::CascadeOps> ops;
    if (shape) ops = einsum::count_ops(c, *shape);
    const einsum::PassReport* main_pass = passes.empty() ? nullptr : &passes.front();
    einsum::CascadeGraph g = einsum::build_graph(c);

    nlohmann::ordered_json j;
    j["cascade"] = c.name;
    j["file"] = c.file;
    j["description"] = c.description;
    j["valid"] = true;
    j["passes"] = main_pass ? main_pass->passes : 0;
    if (shape) j["shape"] = shape->str();
    for (const auto& r : c.all_ranks()) {
        nlohmann::ordered_json rj{{"name", r}};
        if (const auto* d = c.find_rank(r)) rj["role"] = einsum::name(d->role);
        else rj["role"] = "partition";
        if (shape) rj["extent"] = shape->extent(r);
        j["ranks"].push_back(rj);
    }
    for (const auto& p : c.partitions)
        j["partitions"].push_back({{"rank", p.parent}, {"outer", p.outer}, {"inner", p.inner}, {"uneven", p.uneven}});
    for (std::size_t i = 0; i < c.einsums.size(); ++i) {
        const auto& e = c.einsums[i];
        nlohmann::ordered_json ej{{"name", e.name},
                                  {"out", e.output.str()},
                                  {"expr", e.expr.str()},
                                  {"reduce", e.reduced_vars.empty() ? "none" : einsum::name(e.reduce)},
                                  {"loop_ranks", e.loop_vars},
                                  {"reduced_ranks", e.reduced_vars},
                                  {"iterative_rank", e.recurrence_var},
                                  {"reads", reads_of(e)}};
        if (main_pass) ej["pass"] = main_pass->einsum_pass[i];
        if (ops) {
            ej["points"] = ops->einsums[i].points;
            ej["macs"] = ops->einsums[i].macs;
            ej["ops"] = ops->einsums[i].ops;
        }
        j["einsums"].push_back(ej);
    }
    for (auto [it, end] = boost::edges(g); it != end; ++it)
        j["edges"].push_back({{"from", c.einsums[boost::source(*it, g)].name},
                              {"to", c.einsums[boost::target(*it, g)].name},
                              {"tensor", g[*it].tensor}});
    for (const auto& p : passes) {
        nlohmann::ordered_json pj{{"rank", p.rank}, {"passes", p.passes}};
        pj["boundaries"] = nlohmann::json::array();
        for (const auto& b : p.boundaries)
            pj["boundaries"].push_back({{"pass", b.pass}, {"consumer", b.consumer}, {"tensor", b.tensor}, {"producer", b.producer}, {"reason", b.reason}});
        j["pass_analysis"].push_back(pj);
    }
    if (ops) {
        j["totals"] = {{"macs", ops->macs}, {"mac_flops", ops->mac_flops()}, {"ops", ops->totals}};
    }

    if (o.format == Format::json) {
        std::cout << j.dump(2) << "\n";
        return exit_ok;
    }
    reports::Table t;
    t.columns = {"einsum", "out", "reduce", "loop ranks", "pass", "reads"};
    if (ops) t.columns.insert(t.columns.end(), {"points", "macs", "ops"});
    for (std::size_t i = 0; i < c.einsums.size(); ++i) {
        const auto& e = c.einsums[i];
        std::vector<std::string> row{e.name, e.output.str(), e.reduced_vars.empty() ? "-" : std::string(einsum::name(e.reduce)) + "(" + join(e.reduced_vars) + ")",
                                     join(e.loop_vars), main_pass ? std::to_string(main_pass->einsum_pass[i]) : "-", join(reads_of(e))};
        if (ops) {
            std::string opstr;
            for (const auto& [op, n] : ops->einsums[i].ops) opstr += (opstr.empty() ? "" : " ") + op + "=" + std::to_string(n);
            row.insert(row.end(), {std::to_string(ops->einsums[i].points), std::to_string(ops->einsums[i].macs), opstr});
        }
        t.add(row);
    }
    if (o.format == Format::csv) {
        std::cout << t.csv();
        return exit_ok;
    }
    std::cout << "cascade " << c.name << " (" << c.file << "): valid\n";
    if (!c.description.empty()) std::cout << "  " << c.description << "\n";
    std::cout << "ranks:";
    for (const auto& r : j["ranks"]) {
        std::cout << " " << r["name"].get<std::string>();
        if (shape) std::cout << "=" << r["extent"].get<long long>();
    }
    std::cout << "\n\n" << t.text() << "\n";
    for (const auto& p : passes) {
        std::cout << "passes over " << p.rank << ": " << p.passes << "\n";
        if (p.boundaries.empty()) std::cout << "  every Einsum that reads " << p.rank << " elements runs in one pass: values that need all of " << p.rank << " are carried iteratively\n";
        for (const auto& b : p.boundaries) std::cout << "  pass " << b.pass << ": " << b.reason << "\n";
    }
    if (ops) {
        std::cout << "totals: macs=" << ops->macs << " mac_flops=" << ops->mac_flops();
        for (const auto& [op, n] : ops->totals) std::cout << " " << op << "=" << n;
        std::cout << "\n";
    } else {
        std::cout << shape_note << "\n";
    }
    return exit_ok;
}

} // namespace

void add_check_command(CLI::App& app, int& result) {
    auto o = std::make_shared<CheckOptions>();
    CLI::App* cmd = app.add_subcommand("check", "Validate a cascade; print its ranks, DAG, op counts and passes");
    cmd->add_option("file", o->file, "Cascade TOML file or built-in name (e.g. fusemax)")->required();
    cmd->add_option("--shape", o->shape, "Rank extents and parameters, e.g. M=1024,P=1024,E=64,F=64");
    add_format_option(cmd, o->format);
    cmd->callback([o, &result] { result = run_check(*o); });
}

} // namespace cli
