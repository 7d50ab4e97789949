// einsim report: turns sweep or comparison CSV rows (and optionally a validation CSV and a
// comparison with PyTorch; or those alone) into one self-contained HTML report with a Markdown
// summary beside it, both written atomically. CSVs of
// `einsim sparsity` and of the edge model's --sweep-block make a DeltaLLM trade-off report instead.
#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "cli/output_format.h"
#include "reports/html_report.h"
#include "reports/markdown_summary.h"
#include "reports/report_files.h"
#include "reports/report_model.h"
#include "reports/tradeoff_report.h"

namespace cli {
namespace {

struct ReportCommandOptions {
    std::vector<std::string> inputs;
    std::string output = "report.html";
    std::string baseline = "flat";
    bool baseline_given = false;
    std::string validation, peers;
    std::string title = "einsim report";
    Format format = Format::table;
};

// Every file the report reads: the output may be none of them.
std::vector<std::string> input_paths(const ReportCommandOptions& o) {
    std::vector<std::string> in = o.inputs;
    if (!o.validation.empty()) in.push_back(o.validation);
    if (!o.peers.empty()) in.push_back(o.peers);
    return in;
}

std::string file_name(const std::string& path) {
    auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

void print_written(const ReportCommandOptions& o, const std::string& md_path, std::size_t plots, std::size_t rows,
                   const std::vector<std::string>& notes) {
    if (o.format == Format::json) {
        nlohmann::ordered_json j{{"html", o.output}, {"markdown", md_path}, {"plots", plots}, {"rows", rows}, {"notes", notes}};
        std::cout << j.dump(2) << "\n";
    } else if (o.format == Format::csv) {
        reports::Table t;
        t.columns = {"html", "markdown", "plots", "rows"};
        t.add({o.output, md_path, std::to_string(plots), std::to_string(rows)});
        std::cout << t.csv();
    } else {
        std::cout << "wrote " << o.output << " (" << plots << " plots from " << rows << " rows) and " << md_path << "\n";
        for (const auto& n : notes) std::cout << n << "\n";
    }
}

// The DeltaLLM trade-off report (reports/tradeoff_report.h).
int run_tradeoff_report(const ReportCommandOptions& o, const std::vector<reports::LocatedCsv>& files) {
    if (o.baseline_given || !o.validation.empty() || !o.peers.empty()) {
        std::cerr << "einsim: error: --baseline, --validation and --peers apply to result CSVs, not to sparsity or skip-granularity sweeps\n";
        return exit_usage;
    }
    reports::TradeoffSet set = reports::load_tradeoff(files);
    const std::string md_path = reports::markdown_path_for(o.output);
    if (md_path == o.output) {
        std::cerr << "einsim: error: -o " << o.output << ": the HTML report and its Markdown summary would be the same file\n";
        return exit_usage;
    }
    reports::TradeoffReportOptions options{o.title, "einsim 0.1.0"};
    reports::HtmlReport html = reports::render_tradeoff_html(set, options);
    std::string markdown = reports::render_tradeoff_markdown(set, options, file_name(o.output), html.figures);
    reports::write_files_atomically({{md_path, markdown}, {o.output, html.html}}, input_paths(o));
    print_written(o, md_path, html.figures.size(), set.sparsity.size() + set.granularity.size(), reports::tradeoff_findings(set));
    return exit_ok;
}

int run_report(const ReportCommandOptions& o) {
    if (o.inputs.empty()) {
        if (o.validation.empty() && o.peers.empty()) {
            std::cerr << "einsim: error: give result CSVs, or --validation and/or --peers for a report of GPU measurements alone\n";
            return exit_usage;
        }
        if (o.baseline_given) {
            std::cerr << "einsim: error: --baseline applies to result CSVs; this report has none\n";
            return exit_usage;
        }
    }
    // Everything is read, checked and rendered before anything is written.
    std::vector<reports::LocatedCsv> files;
    for (const auto& path : o.inputs) files.push_back(reports::read_located_csv(path));
    std::size_t tradeoff = 0;
    for (const auto& f : files) tradeoff += reports::csv_kind(f) != reports::CsvKind::results;
    if (!files.empty() && tradeoff == files.size()) return run_tradeoff_report(o, files);
    if (tradeoff > 0) {
        for (const auto& f : files)
            if (reports::csv_kind(f) != reports::CsvKind::results)
                throw reports::CsvError(f.path, 1, 0, "a DeltaLLM sweep (einsim sparsity or --sweep-block) cannot share a report with result CSVs; report it on its own");
    }
    // No result CSVs: a report of the GPU measurements alone (ReportModel::gpu_only).
    reports::ResultSet results = files.empty() ? reports::ResultSet{} : reports::load_results(files);
    std::optional<reports::ValidationSet> validation;
    if (!o.validation.empty()) validation = reports::load_validation(o.validation);
    std::optional<reports::PeerSet> peers;
    if (!o.peers.empty()) peers = reports::load_peer_comparison(o.peers);
    if (o.baseline_given) {
        bool found = false;
        std::string designs;
        for (const auto& r : results.rows) {
            found = found || r.design == o.baseline;
            if (designs.find("'" + r.design + "'") == std::string::npos) designs += (designs.empty() ? "'" : ", '") + r.design + "'";
        }
        if (!found) {
            std::cerr << "einsim: error: --baseline " << o.baseline << ": no row has this design (designs: " << designs << ")\n";
            return exit_input;
        }
    }
    reports::ReportOptions options;
    options.title = o.title;
    options.baseline = o.baseline;
    options.generator = "einsim 0.1.0";
    reports::ReportModel model = reports::make_report_model(std::move(results), std::move(validation), options);
    model.peers = std::move(peers);
    reports::HtmlReport html = reports::render_html_report(model);
    std::string md_path = reports::markdown_path_for(o.output);
    if (md_path == o.output) {
        std::cerr << "einsim: error: -o " << o.output << ": the HTML report and its Markdown summary would be the same file\n";
        return exit_usage;
    }
    std::string markdown = reports::render_markdown_summary(model, file_name(o.output), html.figures);
    reports::write_files_atomically({{md_path, markdown}, {o.output, html.html}}, input_paths(o));

    // The rows the report is drawn from: result rows, or (a report of GPU measurements alone) the
    // validation and peer comparison rows.
    const std::size_t rows = model.gpu_only() ? (model.validation ? model.validation->rows.size() : 0) + (model.peers ? model.peers->rows.size() : 0)
                                              : model.results.rows.size();
    if (o.format == Format::json) {
        nlohmann::ordered_json j{{"html", o.output}, {"markdown", md_path}, {"plots", html.figures.size()}, {"rows", rows},
                                 {"ok", model.ok}, {"illegal", model.illegal}, {"error", model.error}, {"notes", model.notes}};
        std::cout << j.dump(2) << "\n";
    } else {
        reports::Table t;
        t.columns = {"html", "markdown", "plots", "rows", "ok", "illegal", "error"};
        t.add({o.output, md_path, std::to_string(html.figures.size()), std::to_string(rows), std::to_string(model.ok),
               std::to_string(model.illegal), std::to_string(model.error)});
        if (o.format == Format::csv) {
            std::cout << t.csv();
        } else {
            std::cout << "wrote " << o.output << " (" << html.figures.size() << " plots from " << rows << (model.gpu_only() ? " GPU job rows" : " rows")
                      << ") and " << md_path << "\n";
            for (const auto& n : model.notes) std::cout << "note: " << n << "\n";
        }
    }
    return exit_ok;
}

} // namespace

void add_report_command(CLI::App& app, int& result) {
    auto o = std::make_shared<ReportCommandOptions>();
    CLI::App* cmd = app.add_subcommand("report", "Write a self-contained HTML report (inline SVG plots and tables) and a Markdown summary from result CSVs");
    cmd->add_option("results", o->inputs,
                    "CSV files from einsim sweep or einsim compare ... --format csv (none: a report of --validation and --peers alone)")
        ->check(CLI::ExistingFile);
    cmd->add_option("-o,--output", o->output, "The HTML report; its Markdown summary goes beside it (report.md)")->default_str("report.html");
    CLI::Option* base = cmd->add_option("--baseline", o->baseline, "Design the others are compared with")->default_str("flat");
    cmd->add_option("--validation", o->validation, "CSV from einsim validate (job_id, predicted_us, measured_us): predicted-vs-measured plot")
        ->check(CLI::ExistingFile);
    cmd->add_option("--peers", o->peers, "CSV from einsim gpu-compare --out: measured speedup over PyTorch SDPA across context lengths")
        ->check(CLI::ExistingFile);
    cmd->add_option("--title", o->title, "Title of the report")->default_str("einsim report");
    add_format_option(cmd, o->format);
    cmd->callback([o, base, &result] {
        o->baseline_given = base->count() > 0;
        try {
            result = run_report(*o);
        } catch (const std::exception& e) {
            std::cerr << "einsim: error: " << e.what() << "\n";
            result = exit_input;
        }
    });
}

} // namespace cli
