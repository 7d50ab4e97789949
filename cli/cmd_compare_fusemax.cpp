// einsim compare fusemax-vs-flat: speedup and energy ratio of every design against a baseline
// (FLAT) per model and sequence length, for attention and end to end, with the averages.
#include <cmath>
#include <iostream>

#include "cli/commands.h"
#include "cli/fusemax_vs_flat.h"
#include "cli/number_checks.h"
#include "cli/output_format.h"
#include "reports/result_json.h"
#include "reports/table.h"

namespace cli {
namespace {

struct CompareOptions {
    ComparisonOptions run;
    std::vector<std::string> models;
    std::vector<long long> seqs;
    bool no_e2e = false;
    std::string engine = "analytical";
    Format format = Format::table;
};

// reports::fixed, with non-finite values spelled as reports::number spells them.
std::string fixed(double v, int digits = 2) { return std::isfinite(v) ? reports::fixed(v, digits) : reports::number(v); }

struct Ratios {
    double speedup = NAN, energy = NAN, e2e_speedup = NAN, e2e_energy = NAN;
};

Ratios ratios(const ComparisonRow& r, const ComparisonRow* base) {
    Ratios x;
    if (!base || !base->ok || !r.ok) return x;
    x.speedup = base->attention.cycles / r.attention.cycles;
    x.energy = r.attention.energy_pj / base->attention.energy_pj;
    if (r.projections && base->projections) {
        x.e2e_speedup = base->e2e_cycles() / r.e2e_cycles();
        x.e2e_energy = r.e2e_energy_pj() / base->e2e_energy_pj();
    }
    return x;
}

int run_compare(CompareOptions& o) {
    if (!o.models.empty()) o.run.models = o.models;
    if (!o.seqs.empty()) o.run.seq_lens.assign(o.seqs.begin(), o.seqs.end());
    // Simulated time grows with M² (tile events): by default the SystemC engine stops at 64K, where
    // one design takes seconds; --seq asks for longer ones.
    else if (o.engine == "systemc") o.run.seq_lens = {1024, 4096, 16384, 65536};
    o.run.end_to_end = !o.no_e2e;
    o.run.engine = o.engine;
    std::vector<ComparisonRow> rows = run_fusemax_vs_flat(o.run);
    const std::string& base = o.run.baseline;

    reports::Table csv;
    csv.columns = {"model", "M", "design", "status"};
    for (const auto& c : reports::metric_columns()) csv.columns.push_back(c);
    for (const auto& c : {"layers", "e2e_cycles", "e2e_energy_pj"}) csv.columns.push_back(c);
    for (const auto& c : {"speedup_vs_", "energy_ratio_vs_", "e2e_speedup_vs_", "e2e_energy_ratio_vs_"}) csv.columns.push_back(c + base);
    csv.columns.push_back("reason");
    nlohmann::ordered_json j;
    for (const auto& r : rows) {
        Ratios x = ratios(r, find_row(rows, r, base));
        std::vector<std::string> row{r.model, std::to_string(r.seq_len), r.design, r.ok ? "ok" : "illegal"};
        std::vector<std::string> metrics = r.ok ? reports::metric_values(r.attention) : std::vector<std::string>(reports::metric_columns().size());
        row.insert(row.end(), metrics.begin(), metrics.end());
        row.push_back(std::to_string(r.layers));
        row.push_back(r.ok && r.projections ? reports::number(r.e2e_cycles()) : "");
        row.push_back(r.ok && r.projections ? reports::number(r.e2e_energy_pj()) : "");
        for (double v : {x.speedup, x.energy, x.e2e_speedup, x.e2e_energy}) row.push_back(std::isnan(v) ? "" : reports::number(v));
        row.push_back(r.ok ? r.note : r.reason);
        csv.add(row);
        nlohmann::ordered_json rj{{"model", r.model}, {"M", r.seq_len}, {"design", r.design}, {"ok", r.ok}};
        if (r.ok) {
            rj["attention"] = reports::to_json(r.attention);
            if (r.projections) rj["projections"] = reports::to_json(*r.projections);
        } else {
            rj["reason"] = r.reason;
        }
        if (!r.note.empty()) rj["note"] = r.note;
        j["rows"].push_back(rj);
    }

    // Averages of every design against the baseline over the points where both are legal.
    reports::Table summary;
    summary.columns = {"design", "points", "speedup (mean)", "speedup (geomean)", "energy ratio (mean)", "e2e speedup (mean)", "e2e energy ratio (mean)"};
    for (const auto& d : o.run.designs) {
        if (d.design == base) continue;
        double s = 0, lg = 0, e = 0, es = 0, ee = 0;
        int n = 0, ne = 0;
        for (const auto& r : rows) {
            if (r.design != d.design) continue;
            Ratios x = ratios(r, find_row(rows, r, base));
            if (std::isnan(x.speedup)) continue;
            s += x.speedup;
            lg += std::log(x.speedup);
            e += x.energy;
            ++n;
            if (!std::isnan(x.e2e_speedup)) {
                es += x.e2e_speedup;
                ee += x.e2e_energy;
                ++ne;
            }
        }
        summary.add({d.design + " vs " + base, std::to_string(n), n ? fixed(s / n) : "", n ? fixed(std::exp(lg / n)) : "", n ? fixed(e / n, 3) : "",
                     ne ? fixed(es / ne) : "", ne ? fixed(ee / ne, 3) : ""});
        j["summary"].push_back({{"design", d.design}, {"baseline", base}, {"points", n}, {"mean_speedup", n ? s / n : NAN},
                                {"geomean_speedup", n ? std::exp(lg / n) : NAN}, {"mean_energy_ratio", n ? e / n : NAN},
                                {"mean_e2e_speedup", ne ? es / ne : NAN}, {"mean_e2e_energy_ratio", ne ? ee / ne : NAN}});
    }

    if (o.format == Format::csv) {
        std::cout << csv.csv();
    } else if (o.format == Format::json) {
        std::cout << j.dump(2) << "\n";
    } else {
        reports::Table t;
        t.columns = {"model", "M"};
        for (const auto& d : o.run.designs) t.columns.push_back(d.design + " Mcycles");
        for (const auto& d : o.run.designs)
            if (d.design != base) t.columns.insert(t.columns.end(), {d.design + " speedup", d.design + " energy", d.design + " e2e speedup", d.design + " e2e energy"});
        for (const auto& d : o.run.designs) t.columns.push_back(d.design + " util2d");
        for (const auto& d : o.run.designs) t.columns.push_back(d.design + " buffer MB");
        for (const auto& r : rows) {
            if (r.design != o.run.designs.front().design) continue;
            std::vector<std::string> cells{r.model, std::to_string(r.seq_len)};
            for (const auto& d : o.run.designs) {
                const ComparisonRow* x = find_row(rows, r, d.design);
                cells.push_back(x && x->ok ? fixed(x->attention.cycles / 1e6, 3) : "illegal");
            }
            for (const auto& d : o.run.designs) {
                if (d.design == base) continue;
                Ratios x = ratios(*find_row(rows, r, d.design), find_row(rows, r, base));
                for (double v : {x.speedup, x.energy, x.e2e_speedup, x.e2e_energy}) cells.push_back(std::isnan(v) ? "-" : fixed(v, 3));
            }
            for (const auto& d : o.run.designs) {
                const ComparisonRow* x = find_row(rows, r, d.design);
                cells.push_back(x && x->ok ? fixed(x->attention.utilization("array2d"), 3) : "-");
            }
            for (const auto& d : o.run.designs) {
                const ComparisonRow* x = find_row(rows, r, d.design);
                cells.push_back(x && x->ok ? fixed(static_cast<double>(x->attention.buffer_bytes_required) / 1048576.0, 1) : "-");
            }
            t.add(cells);
        }
        std::cout << "FuseMax vs FLAT (" << o.engine << " model; speedup = baseline cycles / design cycles, energy = design / baseline)\n\n"
                  << t.text() << "\n" << summary.text();
        for (const auto& r : rows)
            if (!r.ok) std::cout << "illegal: " << r.model << " M=" << r.seq_len << " " << r.design << ": " << r.reason << "\n";
        for (const auto& r : rows)
            if (r.ok && !r.note.empty()) std::cout << o.engine << ": " << r.model << " M=" << r.seq_len << " " << r.design << ": " << r.note << "\n";
    }
    return exit_ok;
}

} // namespace

void add_compare_fusemax_command(CLI::App& app, int& result) {
    auto o = std::make_shared<CompareOptions>();
    CLI::App* cmd = compare_command(app)->add_subcommand("fusemax-vs-flat", "FuseMax vs FLAT vs unfused on BERT, TrXL, T5, XLM over sequence lengths");
    cmd->add_option("--models", o->models, "Model shapes (default: bert-base trxl t5 xlm)");
    cmd->add_option("--seq", o->seqs, "Sequence lengths (default: 1K 4K 16K 64K 256K 1M; with --engine systemc 1K to 64K)")->check(integer_in(1, max_extent));
    cmd->add_option("--batch", o->run.batch, "Batch size")->check(integer_in(1, max_extent));
    cmd->add_flag("--no-e2e", o->no_e2e, "Attention only (skip the projection and FFN Einsums)");
    cmd->add_option("--engine", o->engine, "Cost model: analytical, or systemc (the same table, simulated; rows more than 3% from the analytical model name the stall)")
        ->check(CLI::IsMember({"analytical", "systemc"}))
        ->default_val("analytical");
    add_format_option(cmd, o->format);
    cmd->callback([o, &result] { result = run_compare(*o); });
}

} // namespace cli
