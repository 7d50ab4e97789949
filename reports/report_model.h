// What a report says, before it is drawn: the checked result rows grouped by model, sequence length
// and design; every design's speedup and energy ratio against the baseline; summary statistics; the
// colours that stay with a design or a model in every plot; and notes on what could not be shown.
// The HTML page and the Markdown summary are both rendered from this one value.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reports/result_rows.h"

namespace reports {

struct ReportOptions {
    std::string title = "einsim report";
    std::string baseline = "flat";      // the design others are compared with
    std::string generator = "einsim";   // named in the page footer
};

// One ok row against the baseline row of the same model, sequence length and parameters.
struct BaselineRatio {
    const ResultRow* row = nullptr;
    const ResultRow* base = nullptr;
    double speedup = 0;                 // baseline cycles / cycles
    double energy_ratio = 0;            // energy / baseline energy
    double e2e_speedup = 0;             // NaN without end-to-end columns
    double e2e_energy_ratio = 0;
};

struct Stats {
    int n = 0;
    double mean = 0, geomean = 0, min = 0, max = 0; // NaN when n == 0
};
// Over the finite values (geomean over the positive ones).
Stats stats(const std::vector<double>& values);

struct VariantSummary {
    std::string variant;
    Stats speedup, energy_ratio, e2e_speedup, e2e_energy_ratio;
};

struct ReportModel {
    ReportModel() = default;
    ReportModel(ReportModel&&) = default; // rows keep their addresses; a copy would not
    ReportModel& operator=(ReportModel&&) = default;
    ReportModel(const ReportModel&) = delete;
    ReportModel& operator=(const ReportModel&) = delete;

    ReportOptions options;
    ResultSet results;
    std::optional<ValidationSet> validation;
    std::optional<PeerSet> peers;           // einsim gpu-compare's rows, when given

    std::vector<std::string> models;        // first-seen order (ok rows)
    std::vector<std::int64_t> seq_lens;     // ascending (ok rows)
    std::vector<std::string> variants;      // first-seen order (ok rows)
    std::vector<std::string> baseline_variants, compared_variants; // variants of the baseline design, and the others
    // The variants that get plots: all of them, or with many (a sweep over architecture parameters)
    // the compared ones with the highest geomean speedup and their baselines; tables list all.
    std::vector<std::string> plotted_variants, plotted_compared;
    int ok = 0, illegal = 0, error = 0;
    bool has_e2e = false;                   // some ok row has end-to-end cycles and energy
    bool has_roofline = false;              // some ok row has peak MACs/cycle, DRAM bytes/cycle, MACs, DRAM bytes, cycles
    std::string roofline_note;              // why the roofline is left out, when it is
    std::vector<BaselineRatio> ratios;      // every ok row of a compared variant with a baseline
    std::vector<VariantSummary> summaries;  // per compared variant
    std::vector<std::string> notes;

    // A report of GPU measurements alone (--validation and/or --peers, no result CSVs): only
    // their sections are drawn.
    bool gpu_only() const { return results.files.empty(); }

    // The ok row of a variant at (model, M); nullptr when none.
    const ResultRow* find(const std::string& model, std::int64_t M, const std::string& variant) const;
    const BaselineRatio* ratio(const std::string& model, std::int64_t M, const std::string& variant) const;
    std::string variant_colour(const std::string& variant) const;
    std::string model_colour(const std::string& model) const;
    int model_index(const std::string& model) const;

    std::map<std::string, const ResultRow*> by_key;  // model \x1f M \x1f variant -> ok row
    std::map<std::string, std::size_t> ratio_by_key; // the same key -> index in ratios
};

// The baseline row for `row` among `candidates` (the ok baseline rows at its model and M): the only
// one, or the one with the same values of the variant columns where both have one.
const ResultRow* find_baseline(const ResultSet& set, const ResultRow& row, const std::vector<const ResultRow*>& candidates);

// At most this many variants are plotted (see ReportModel::plotted_variants).
constexpr std::size_t max_plotted_variants = 12;

ReportModel make_report_model(ResultSet results, std::optional<ValidationSet> validation, ReportOptions options);

// The i-th colour of a categorical palette (for categories other than designs and models).
std::string categorical_colour(std::size_t i);

// The colours of the energy components, bottom to top: 2D array, 1D array, register files, buffer,
// DRAM, static.
struct EnergyComponent {
    std::string column, label, colour;
};
const std::vector<EnergyComponent>& energy_components();

} // namespace reports
