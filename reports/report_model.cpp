#include "reports/report_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace reports {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

std::string key(const std::string& model, std::int64_t M, const std::string& variant) {
    return model + '\x1f' + std::to_string(M) + '\x1f' + variant;
}

// Strong, distinct colours for designs; greys for the baseline's variants.
const std::vector<std::string> design_palette{"#1f5fa8", "#d9621a", "#2e8b3d", "#8e44ad", "#c0392b", "#138d90",
                                              "#b8860b", "#c2185b", "#5d7f1a", "#34495e", "#7f5539", "#4361ee"};
const std::vector<std::string> baseline_palette{"#59636e", "#8c959f", "#3d444d", "#afb8c1"};
// Models: a separate set, so that a design and a model never share a colour within one plot.
const std::vector<std::string> model_palette{"#1b6ca8", "#e4572e", "#17a398", "#9b5de5", "#f3a712", "#d63384",
                                             "#4c956c", "#6c757d", "#8d5524", "#3a86ff", "#ef476f", "#06d6a0"};

void choose_plotted_variants(ReportModel& m) {
    if (m.variants.size() <= max_plotted_variants) {
        m.plotted_variants = m.variants;
        m.plotted_compared = m.compared_variants;
        return;
    }
    std::vector<const VariantSummary*> best;
    for (const auto& s : m.summaries) best.push_back(&s);
    std::stable_sort(best.begin(), best.end(), [](const VariantSummary* a, const VariantSummary* b) { return a->speedup.geomean > b->speedup.geomean; });
    std::set<std::string> chosen;
    for (std::size_t i = 0; i < best.size() && i < max_plotted_variants * 2 / 3; ++i) chosen.insert(best[i]->variant);
    for (const auto& r : m.ratios)
        if (chosen.count(r.row->variant) && chosen.size() < max_plotted_variants) chosen.insert(r.base->variant);
    for (const auto& v : m.variants) // without ratios: the first variants
        if (chosen.size() < max_plotted_variants && best.empty()) chosen.insert(v);
    for (const auto& v : m.variants)
        if (chosen.count(v)) m.plotted_variants.push_back(v);
    for (const auto& v : m.compared_variants)
        if (chosen.count(v)) m.plotted_compared.push_back(v);
    m.notes.push_back(std::to_string(m.variants.size()) + " designs: the plots show " + std::to_string(m.plotted_variants.size()) +
                      (best.empty() ? " of them (the first in the input)" : " (the compared ones with the highest geomean speedup, and their baselines)") +
                      "; the summary table and the last section list all");
}

} // namespace

Stats stats(const std::vector<double>& values) {
    Stats s;
    double sum = 0, log_sum = 0;
    int logs = 0;
    s.min = std::numeric_limits<double>::infinity();
    s.max = -s.min;
    for (double v : values) {
        if (!std::isfinite(v)) continue;
        ++s.n;
        sum += v;
        s.min = std::min(s.min, v);
        s.max = std::max(s.max, v);
        if (v > 0) {
            log_sum += std::log(v);
            ++logs;
        }
    }
    if (s.n == 0) return {0, nan_value, nan_value, nan_value, nan_value};
    s.mean = sum / s.n;
    s.geomean = logs == s.n ? std::exp(log_sum / logs) : nan_value;
    return s;
}

std::string categorical_colour(std::size_t i) { return design_palette[i % design_palette.size()]; }

const std::vector<EnergyComponent>& energy_components() {
    // Kept apart from the design colours (blue, orange, green, greys), which mark the bars' strips.
    static const std::vector<EnergyComponent> c{{"energy_array2d_pj", "2D array (MACs)", "#5e4fa2"},
                                                {"energy_array1d_pj", "1D array (vector)", "#a39fd1"},
                                                {"energy_rf_pj", "register files", "#66c2a5"},
                                                {"energy_buffer_pj", "global buffer", "#f6d36b"},
                                                {"energy_dram_pj", "DRAM", "#b2182b"},
                                                {"energy_static_pj", "static (leakage)", "#d3d6da"}};
    return c;
}

const ResultRow* ReportModel::find(const std::string& model, std::int64_t M, const std::string& variant) const {
    auto it = by_key.find(key(model, M, variant));
    return it == by_key.end() ? nullptr : it->second;
}

const BaselineRatio* ReportModel::ratio(const std::string& model, std::int64_t M, const std::string& variant) const {
    auto it = ratio_by_key.find(key(model, M, variant));
    return it == ratio_by_key.end() ? nullptr : &ratios[it->second];
}

int ReportModel::model_index(const std::string& model) const {
    auto it = std::find(models.begin(), models.end(), model);
    return it == models.end() ? 0 : static_cast<int>(it - models.begin());
}

std::string ReportModel::variant_colour(const std::string& variant) const {
    // Counted among the plotted variants first, so that no two plotted ones share a colour.
    auto index_in = [&](const std::vector<std::string>& list, bool baseline) -> long {
        long i = 0;
        for (const auto& v : list) {
            bool is_baseline = std::find(baseline_variants.begin(), baseline_variants.end(), v) != baseline_variants.end();
            if (is_baseline != baseline) continue;
            if (v == variant) return i;
            ++i;
        }
        return -1;
    };
    bool baseline = std::find(baseline_variants.begin(), baseline_variants.end(), variant) != baseline_variants.end();
    long i = index_in(plotted_variants, baseline);
    if (i < 0) i = index_in(variants, baseline);
    if (i < 0) i = 0;
    const auto& palette = baseline ? baseline_palette : design_palette;
    return palette[static_cast<std::size_t>(i) % palette.size()];
}

std::string ReportModel::model_colour(const std::string& model) const {
    return model_palette[static_cast<std::size_t>(model_index(model)) % model_palette.size()];
}

const ResultRow* find_baseline(const ResultSet& set, const ResultRow& row, const std::vector<const ResultRow*>& candidates) {
    if (candidates.size() == 1) return candidates.front();
    for (const ResultRow* c : candidates) {
        bool same = true;
        for (const auto& v : set.variant_columns) {
            std::string a = set.cell(row, v), b = set.cell(*c, v);
            if (!a.empty() && !b.empty() && a != b) same = false;
        }
        if (same) return c;
    }
    return nullptr;
}

ReportModel make_report_model(ResultSet results, std::optional<ValidationSet> validation, ReportOptions options) {
    ReportModel m;
    m.options = std::move(options);
    m.results = std::move(results);
    m.validation = std::move(validation);
    if (m.gpu_only()) return m;  // nothing below applies to GPU measurements alone
    m.notes = m.results.notes;
    std::set<std::int64_t> seqs;
    for (const auto& r : m.results.rows) {
        if (r.status == PointStatus::illegal) ++m.illegal;
        if (r.status == PointStatus::error) ++m.error;
        if (r.status != PointStatus::ok) continue;
        ++m.ok;
        if (std::find(m.models.begin(), m.models.end(), r.model) == m.models.end()) m.models.push_back(r.model);
        if (std::find(m.variants.begin(), m.variants.end(), r.variant) == m.variants.end()) {
            m.variants.push_back(r.variant);
            (r.design == m.options.baseline ? m.baseline_variants : m.compared_variants).push_back(r.variant);
        }
        seqs.insert(r.M);
        m.by_key[key(r.model, r.M, r.variant)] = &r;
        if (std::isfinite(m.results.value(r, "e2e_cycles")) && std::isfinite(m.results.value(r, "e2e_energy_pj"))) m.has_e2e = true;
    }
    m.seq_lens.assign(seqs.begin(), seqs.end());
    const ResultSet& rs = m.results;
    if (!rs.has("peak_macs_per_cycle") || !rs.has("dram_bandwidth_bytes_per_cycle")) {
        m.roofline_note = "roofline left out: the results have no peak_macs_per_cycle and dram_bandwidth_bytes_per_cycle columns (einsim sweep writes them)";
    } else {
        for (const auto& r : rs.rows)
            if (r.status == PointStatus::ok && rs.value(r, "peak_macs_per_cycle") > 0 && rs.value(r, "dram_bandwidth_bytes_per_cycle") > 0 &&
                rs.value(r, "macs") > 0 && rs.value(r, "dram_bytes") > 0 && rs.value(r, "cycles") > 0)
                m.has_roofline = true;
        if (!m.has_roofline)
            m.roofline_note = "roofline left out: no ok row has positive peak_macs_per_cycle, dram_bandwidth_bytes_per_cycle, macs, dram_bytes and cycles";
    }
    if (!m.roofline_note.empty()) m.notes.push_back(m.roofline_note);

    if (m.baseline_variants.empty()) {
        m.notes.push_back("no ok row of the baseline design '" + m.options.baseline +
                          "': speedup and energy ratios are left out (choose another with --baseline)");
    } else {
        std::map<std::string, std::vector<const ResultRow*>> baselines; // model \x1f M -> ok baseline rows
        for (const auto& r : m.results.rows)
            if (r.status == PointStatus::ok && r.design == m.options.baseline) baselines[key(r.model, r.M, "")].push_back(&r);
        int unmatched = 0;
        for (const auto& r : m.results.rows) {
            if (r.status != PointStatus::ok || r.design == m.options.baseline) continue;
            auto candidates = baselines.find(key(r.model, r.M, ""));
            const ResultRow* b = candidates == baselines.end() ? nullptr : find_baseline(m.results, r, candidates->second);
            if (!b) {
                ++unmatched;
                continue;
            }
            BaselineRatio x{&r, b, nan_value, nan_value, nan_value, nan_value};
            const ResultSet& s = m.results;
            x.speedup = s.value(*b, "cycles") / s.value(r, "cycles");
            x.energy_ratio = s.value(r, "energy_pj") / s.value(*b, "energy_pj");
            x.e2e_speedup = s.value(*b, "e2e_cycles") / s.value(r, "e2e_cycles");
            x.e2e_energy_ratio = s.value(r, "e2e_energy_pj") / s.value(*b, "e2e_energy_pj");
            m.ratio_by_key[key(r.model, r.M, r.variant)] = m.ratios.size();
            m.ratios.push_back(x);
        }
        if (unmatched)
            m.notes.push_back(std::to_string(unmatched) + " ok point(s) have no ok baseline (" + m.options.baseline +
                              ") point at the same model and sequence length: they have no ratio");
    }
    for (const auto& v : m.compared_variants) {
        VariantSummary s{v, {}, {}, {}, {}};
        std::vector<double> sp, en, esp, een;
        for (const auto& x : m.ratios) {
            if (x.row->variant != v) continue;
            sp.push_back(x.speedup);
            en.push_back(x.energy_ratio);
            esp.push_back(x.e2e_speedup);
            een.push_back(x.e2e_energy_ratio);
        }
        s.speedup = stats(sp);
        s.energy_ratio = stats(en);
        s.e2e_speedup = stats(esp);
        s.e2e_energy_ratio = stats(een);
        if (s.speedup.n) m.summaries.push_back(s);
    }
    choose_plotted_variants(m);
    return m;
}

} // namespace reports
