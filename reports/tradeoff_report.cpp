#include "reports/tradeoff_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "reports/html_page.h"
#include "reports/number_format.h"
#include "reports/report_model.h"
#include "reports/svg_plot.h"
#include "reports/xml_escape.h"

namespace reports {
namespace {

using svg::Dash;
using svg::Marker;
using svg::ScaleKind;
using svg::TickFormat;

// Below this relative error a point is exact attention up to double rounding (the issue's bar for
// θ = 0); log-scale plots leave such points out.
constexpr double exact_error = 1e-12;

std::string esc(const std::string& s) { return xml_escape(s); }

std::string num(double v) { return format_significant(v, 4); }
std::string err(double v) { return format_significant(v, 3); }

// Rows grouped by a key, groups in the order their first row comes.
template <class Row, class Key>
std::vector<std::vector<const Row*>> group_rows(const std::vector<Row>& rows, Key key_of) {
    std::vector<std::string> keys;
    std::map<std::string, std::vector<const Row*>> by_key;
    for (const auto& r : rows) {
        const std::string key = key_of(r);
        if (!by_key.count(key)) keys.push_back(key);
        by_key[key].push_back(&r);
    }
    std::vector<std::vector<const Row*>> out;
    for (const auto& k : keys) out.push_back(std::move(by_key[k]));
    return out;
}

// Fields that tell series apart: only those that take more than one value go into the labels.
struct Field {
    std::string prefix;
    std::vector<std::string> values; // per item
    bool varies() const { return std::set<std::string>(values.begin(), values.end()).size() > 1; }
};

// `head` first (legends cut long labels at their end), then the fields that vary.
std::string label_of(const std::vector<Field>& fields, std::size_t i, const std::string& head) {
    std::string s = head;
    for (const auto& f : fields)
        if (f.varies() && !f.values[i].empty()) s += (s.empty() ? "" : ", ") + f.prefix + f.values[i];
    return s;
}

int stage_order(const std::string& stage) { return stage == "prefill" ? 0 : stage == "decode" ? 1 : stage == "overall" ? 2 : 3; }

// One line of the sparsity plots: one measurement (cascade, input, shape, decode steps, block) at one W.
struct SparsitySeries {
    std::string label, colour;
    std::vector<const SparsityRow*> rows;  // every stage, by θ then stage
    std::string stage;                     // the stage plotted: overall when there is one
    std::vector<const SparsityRow*> plotted() const {
        std::vector<const SparsityRow*> out;
        for (const auto* r : rows)
            if (r->stage == stage) out.push_back(r);
        return out;
    }
    bool has_stage(const std::string& s) const {
        return std::any_of(rows.begin(), rows.end(), [&](const SparsityRow* r) { return r->stage == s; });
    }
};

std::vector<SparsitySeries> sparsity_series(const TradeoffSet& set) {
    const auto groups = group_rows(set.sparsity, [](const SparsityRow& r) {
        return r.cascade + '\x1f' + r.input + '\x1f' + r.shape + '\x1f' + r.decode_steps + '\x1f' + r.block_elements + '\x1f' + std::to_string(r.window);
    });
    std::vector<Field> fields{{"", {}}, {"", {}}, {"", {}}, {"decode steps ", {}}, {"block ", {}}};
    for (const auto& group : groups) {
        const SparsityRow& r = *group.front();
        fields[0].values.push_back(r.cascade);
        fields[1].values.push_back(r.input);
        fields[2].values.push_back(r.shape);
        fields[3].values.push_back(r.decode_steps);
        fields[4].values.push_back(r.block_elements);
    }
    std::vector<SparsitySeries> out;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        SparsitySeries s;
        s.rows = groups[i];
        std::stable_sort(s.rows.begin(), s.rows.end(), [](const SparsityRow* a, const SparsityRow* b) {
            return a->theta != b->theta ? a->theta < b->theta : stage_order(a->stage) < stage_order(b->stage);
        });
        s.label = label_of(fields, i, "W = " + std::to_string(s.rows.front()->window));
        s.colour = categorical_colour(i);
        s.stage = s.has_stage("overall") ? "overall" : s.has_stage("prefill") ? "prefill" : s.rows.front()->stage;
        out.push_back(std::move(s));
    }
    return out;
}

// One workload on one device in the granularity plots.
struct GranularitySeries {
    std::string label, colour;
    std::vector<const GranularityRow*> rows; // by block size
};

std::vector<GranularitySeries> granularity_series(const TradeoffSet& set) {
    const auto groups = group_rows(set.granularity, [](const GranularityRow& r) {
        return r.arch + '\x1f' + r.model + '\x1f' + r.heads + '\x1f' + r.window + '\x1f' + r.prefill_tokens + '\x1f' + r.decode_context + '\x1f' +
               r.element_sparsity;
    });
    std::vector<Field> fields{{"W = ", {}}, {"N = ", {}}, {"context ", {}}, {"sparsity ", {}}, {"heads ", {}}};
    for (const auto& group : groups) {
        const GranularityRow& r = *group.front();
        fields[0].values.push_back(r.window);
        fields[1].values.push_back(r.prefill_tokens);
        fields[2].values.push_back(r.decode_context);
        fields[4].values.push_back(r.heads);
        char* end = nullptr;
        const double v = std::strtod(r.element_sparsity.c_str(), &end);
        fields[3].values.push_back(!r.element_sparsity.empty() && *end == '\0' ? format_percent(v) : r.element_sparsity);
    }
    std::vector<GranularitySeries> out;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        GranularitySeries s;
        s.rows = groups[i];
        std::stable_sort(s.rows.begin(), s.rows.end(), [](const GranularityRow* a, const GranularityRow* b) { return a->block_elements < b->block_elements; });
        const GranularityRow& r = *s.rows.front();
        std::string head = r.arch;
        if (!r.model.empty()) head += (head.empty() ? "" : " \u00b7 ") + r.model;
        s.label = label_of(fields, i, "");
        s.label = head + (s.label.empty() ? "" : (head.empty() ? "" : ", ") + s.label);
        if (s.label.empty()) s.label = "series " + std::to_string(i + 1);
        // Colours after the sparsity series' first ones, so that the two kinds of plot do not look related.
        s.colour = categorical_colour(i + 4);
        out.push_back(std::move(s));
    }
    return out;
}

void style_legend(svg::XyChart& c, const std::string& heading, const std::vector<std::pair<std::string, std::string>>& series, const std::string& solid,
                  const std::string& dashed) {
    c.legend.push_back({heading, "", Dash::solid, Marker::none, true, true});
    for (const auto& [label, colour] : series) c.legend.push_back({label, colour, Dash::solid, Marker::none, false, false});
    if (!dashed.empty()) {
        c.legend.push_back({"line", "", Dash::solid, Marker::none, true, true});
        c.legend.push_back({solid, "#59636e", Dash::solid, Marker::circle, true, false});
        c.legend.push_back({dashed, "#59636e", Dash::dashed, Marker::square, true, false});
    }
}

std::string cell(const SparsitySeries& s) { return swatch(s.colour) + esc(s.label); }
std::string cell(const GranularitySeries& s) { return swatch(s.colour) + esc(s.label); }

svg::Axis theta_axis() {
    svg::Axis a;
    a.label = "threshold \u03b8 (a query change is kept when |change| > \u03b8)";
    return a;
}

void sparsity_section(Page& p, const std::vector<SparsitySeries>& series, int number) {
    p.body << "<section id=\"sparsity\"><h2>" << number
           << ". Sparsity and error against the threshold</h2><p class=\"lead\">Each line is one measurement at one local window W (the W most recent "
              "keys of every query are exact). Zero \u0394Q entries are the temporal sparsity; skipped multiply-adds count every product of the "
              "cascade with a zero operand (the window's exact scores and A\u00b7V are never skipped). The error is the output's against exact "
              "softmax attention, relative to its largest magnitude. Plotted: the "
           << esc(series.front().stage) << " stage (all stages are in the tables).</p><div class=\"grid\">";
    std::vector<std::pair<std::string, std::string>> legend;
    for (const auto& s : series) legend.push_back({s.label, s.colour});

    {
        svg::XyChart c;
        c.title = "Zero deltas and skipped multiply-adds against \u03b8";
        c.x = theta_axis();
        c.y.label = "fraction (%)";
        c.y.format = TickFormat::percent;
        c.y.min = 0;
        HtmlTable t;
        t.head = {"series", "\u03b8", "stage", "tokens", "zero \u0394Q", "all-zero blocks", "skipped MACs"};
        t.numeric = {false, true, false, true, true, true, true};
        for (const auto& s : series) {
            svg::Series a, b;
            a.name = s.label;
            a.colour = b.colour = s.colour;
            b.dash = Dash::dashed;
            b.marker = Marker::square;
            for (const auto* r : s.plotted()) {
                a.points.push_back({r->theta, r->sparsity});
                a.tips.push_back(s.label + ", \u03b8 = " + num(r->theta) + ": " + format_percent(r->sparsity) + " zero deltas");
                b.points.push_back({r->theta, r->mac_skip_fraction});
                b.tips.push_back(s.label + ", \u03b8 = " + num(r->theta) + ": " + format_percent(r->mac_skip_fraction) + " of MACs skipped");
            }
            c.series.push_back(a);
            c.series.push_back(b);
            for (const auto* r : s.rows)
                t.rows.push_back({cell(s), num(r->theta), esc(r->stage), r->tokens ? std::to_string(r->tokens) : "\u2013", format_percent(r->sparsity),
                                  format_percent(r->block_sparsity), format_percent(r->mac_skip_fraction)});
        }
        style_legend(c, "window", legend, "zero \u0394Q entries", "skipped MACs");
        p.body << p.figure(c, "Temporal sparsity (solid) and the fraction of multiply-adds it skips (dashed) against the threshold, one colour per series.", t);
    }
    {
        svg::XyChart c;
        c.title = "Output error against \u03b8";
        c.x = theta_axis();
        c.y.label = "error relative to max |exact| (log scale)";
        c.y.kind = ScaleKind::log10;
        HtmlTable t;
        t.head = {"series", "\u03b8", "stage", "max relative error", "rms relative error"};
        t.numeric = {false, true, false, true, true};
        bool any_rms = false;
        for (const auto& s : series) {
            svg::Series a, b;
            a.name = s.label;
            a.colour = b.colour = s.colour;
            b.dash = Dash::dashed;
            b.marker = Marker::square;
            for (const auto* r : s.plotted()) {
                if (r->max_rel_error < exact_error) continue;
                a.points.push_back({r->theta, r->max_rel_error});
                a.tips.push_back(s.label + ", \u03b8 = " + num(r->theta) + ": max error " + err(r->max_rel_error));
                if (std::isfinite(r->rms_rel_error)) {
                    any_rms = true;
                    b.points.push_back({r->theta, r->rms_rel_error});
                    b.tips.push_back(s.label + ", \u03b8 = " + num(r->theta) + ": rms error " + err(r->rms_rel_error));
                }
            }
            c.series.push_back(a);
            if (!b.points.empty()) c.series.push_back(b);
            for (const auto* r : s.rows) t.rows.push_back({cell(s), num(r->theta), esc(r->stage), err(r->max_rel_error), err(r->rms_rel_error)});
        }
        style_legend(c, "window", legend, "max error", any_rms ? "rms error" : "");
        p.body << p.figure(c,
                           "Maximum (solid) and root-mean-square (dashed) output error against the threshold. Exact points (error below 1e-12: "
                           "\u03b8 = 0, or a window covering every key) are in the table but not drawn, so that the axis shows the errors that "
                           "sparsity costs.",
                           t);
    }
    {
        svg::XyChart c;
        c.title = "Sparsity\u2013error trade-off";
        c.x.label = "zero \u0394Q entries (%)";
        c.x.format = TickFormat::percent;
        c.y.label = "max error relative to max |exact| (log scale)";
        c.y.kind = ScaleKind::log10;
        HtmlTable t;
        t.head = {"series", "\u03b8", "zero \u0394Q", "skipped MACs", "max relative error", "rms relative error"};
        t.numeric = {false, true, true, true, true, true};
        for (const auto& s : series) {
            svg::Series a;
            a.name = s.label;
            a.colour = s.colour;
            auto rows = s.plotted();
            std::stable_sort(rows.begin(), rows.end(), [](const SparsityRow* x, const SparsityRow* y) { return x->sparsity < y->sparsity; });
            for (const auto* r : rows) {
                if (r->max_rel_error >= exact_error) a.points.push_back({r->sparsity, r->max_rel_error});
                if (r->max_rel_error >= exact_error)
                    a.tips.push_back(s.label + ", \u03b8 = " + num(r->theta) + ": " + format_percent(r->sparsity) + " zero deltas, max error " + err(r->max_rel_error));
                t.rows.push_back({cell(s), num(r->theta), format_percent(r->sparsity), format_percent(r->mac_skip_fraction), err(r->max_rel_error),
                                  err(r->rms_rel_error)});
            }
            c.series.push_back(a);
        }
        style_legend(c, "window", legend, "", "");
        p.body << p.figure(c,
                           "What each level of sparsity costs in accuracy: one point per threshold (hover for \u03b8), lower and further right is "
                           "better; exact points (error below 1e-12) are in the table only.",
                           t);
    }
    // Prefill against decode, when the sweep decoded tokens one at a time.
    bool staged = std::any_of(series.begin(), series.end(), [](const SparsitySeries& s) { return s.has_stage("prefill") && s.has_stage("decode"); });
    if (staged) {
        svg::XyChart c;
        c.title = "Prefill and decode sparsity against \u03b8";
        c.x = theta_axis();
        c.y.label = "zero \u0394Q entries (%)";
        c.y.format = TickFormat::percent;
        c.y.min = 0;
        HtmlTable t;
        t.head = {"series", "\u03b8", "prefill zero \u0394Q", "decode zero \u0394Q", "prefill max error", "decode max error"};
        t.numeric = {false, true, true, true, true, true};
        for (const auto& s : series) {
            if (!s.has_stage("prefill") || !s.has_stage("decode")) continue;
            svg::Series a, b;
            a.name = s.label;
            a.colour = b.colour = s.colour;
            b.dash = Dash::dashed;
            b.marker = Marker::square;
            std::map<double, std::pair<const SparsityRow*, const SparsityRow*>> at;
            for (const auto* r : s.rows) {
                if (r->stage == "prefill") at[r->theta].first = r;
                if (r->stage == "decode") at[r->theta].second = r;
            }
            for (const auto& [theta, pd] : at) {
                if (pd.first) a.points.push_back({theta, pd.first->sparsity});
                if (pd.second) b.points.push_back({theta, pd.second->sparsity});
                t.rows.push_back({cell(s), num(theta), pd.first ? format_percent(pd.first->sparsity) : "\u2013",
                                  pd.second ? format_percent(pd.second->sparsity) : "\u2013", pd.first ? err(pd.first->max_rel_error) : "\u2013",
                                  pd.second ? err(pd.second->max_rel_error) : "\u2013"});
            }
            c.series.push_back(a);
            c.series.push_back(b);
        }
        style_legend(c, "window", legend, "prefill", "decode");
        p.body << p.figure(c, "Zero deltas in the prefill (solid) and in the tokens decoded one at a time (dashed).", t);
    }
    p.body << "</div></section>\n";
}

void granularity_section(Page& p, const std::vector<GranularitySeries>& series, int number) {
    p.body << "<section id=\"granularity\"><h2>" << number
           << ". Gain against the skip granularity</h2><p class=\"lead\">The edge model's dense and DeltaLLM attention, prefill and one decode "
              "step, as the hardware's skip block grows: a block of G delta channels is skipped only when all G are zero. Speedup = dense time / "
              "DeltaLLM time; energy ratio = DeltaLLM energy / dense energy (below 1 saves). Sparsity pays where the speedup is above 1 and the "
              "energy ratio below 1.</p><div class=\"grid\">";
    std::vector<std::pair<std::string, std::string>> legend;
    for (const auto& s : series) legend.push_back({s.label, s.colour});
    for (bool speed : {true, false}) {
        svg::XyChart c;
        c.title = speed ? "Speedup against the skip-block size" : "Energy ratio against the skip-block size";
        c.x.label = "skip block (delta elements, log\u2082 scale)";
        c.x.kind = ScaleKind::log2;
        c.y.label = speed ? "speedup over dense (\u00d7)" : "energy, DeltaLLM / dense (\u00d7)";
        c.y.format = TickFormat::times;
        c.y.include = {1.0};
        c.hlines.push_back({1.0, "#444444", Dash::dotted, "dense"});
        HtmlTable t;
        t.head = {"series", "block", "block skipped", speed ? "prefill speedup" : "prefill energy ratio", speed ? "decode speedup" : "decode energy ratio"};
        t.numeric = {false, true, true, true, true};
        for (const auto& s : series) {
            svg::Series a, b;
            a.name = s.label;
            a.colour = b.colour = s.colour;
            b.dash = Dash::dashed;
            b.marker = Marker::square;
            for (const auto* r : s.rows) {
                const double pv = speed ? r->prefill_speedup : r->prefill_energy_ratio, dv = speed ? r->decode_speedup : r->decode_energy_ratio;
                const std::string g = "G = " + std::to_string(r->block_elements);
                a.points.push_back({double(r->block_elements), pv});
                a.tips.push_back(s.label + ", " + g + ": prefill " + format_ratio(pv));
                b.points.push_back({double(r->block_elements), dv});
                b.tips.push_back(s.label + ", " + g + ": decode " + format_ratio(dv));
                t.rows.push_back({cell(s), std::to_string(r->block_elements), format_percent(r->block_skip_probability), format_ratio(pv), format_ratio(dv)});
            }
            c.series.push_back(a);
            c.series.push_back(b);
        }
        style_legend(c, "workload", legend, "prefill", "decode step");
        p.body << p.figure(c,
                           speed ? "Speedup of DeltaLLM over dense attention for the prefill (solid) and one decode step (dashed) against the skip-block size."
                                 : "Energy of DeltaLLM relative to dense attention for the prefill (solid) and one decode step (dashed) against the skip-block size.",
                           t);
    }
    p.body << "</div></section>\n";
}

std::string pays_text(const GranularitySeries& s, bool prefill) {
    std::vector<std::int64_t> pays;
    const GranularityRow* best = nullptr;
    for (const auto* r : s.rows) {
        const double sp = prefill ? r->prefill_speedup : r->decode_speedup, er = prefill ? r->prefill_energy_ratio : r->decode_energy_ratio;
        if (sp > 1 && er < 1) pays.push_back(r->block_elements);
        if (!best || sp > (prefill ? best->prefill_speedup : best->decode_speedup)) best = r;
    }
    const double best_speedup = prefill ? best->prefill_speedup : best->decode_speedup;
    const double best_energy = prefill ? best->prefill_energy_ratio : best->decode_energy_ratio;
    std::string s_text = std::string(prefill ? "prefill" : "decode") + " ";
    if (pays.empty()) s_text += "pays at no block size";
    else if (pays.size() == s.rows.size()) s_text += "pays at every block size";
    else {
        s_text += "pays at blocks of ";
        for (std::size_t i = 0; i < pays.size(); ++i) s_text += (i ? ", " : "") + std::to_string(pays[i]);
    }
    return s_text + " (best " + format_ratio(best_speedup) + " time, " + format_ratio(best_energy) + " energy, at G = " + std::to_string(best->block_elements) + ")";
}

} // namespace

std::vector<std::string> tradeoff_findings(const TradeoffSet& set) {
    std::vector<std::string> out;
    const auto series = sparsity_series(set);
    // Keys a series' queries see at most: the whole sequence (the overall row's tokens, else the
    // prefill's plus the decode steps'); 0 when the rows do not say.
    auto keys = [](const SparsitySeries& s) {
        std::int64_t overall = 0, staged = 0;
        for (const auto* r : s.rows) {
            if (r->stage == "overall") overall = std::max(overall, r->tokens);
            if (r->stage == "prefill" || r->stage == "decode") staged += r->theta == s.rows.front()->theta ? r->tokens : 0;
        }
        return overall > 0 ? overall : staged;
    };
    auto exactness = [&](auto pick, const std::string& what) {
        int n = 0;
        double worst = 0;
        for (const auto& s : series)
            for (const auto* r : s.rows)
                if (pick(s, *r)) {
                    ++n;
                    worst = std::max(worst, r->max_rel_error);
                }
        if (n == 0) return;
        out.push_back(what + " (" + std::to_string(n) + " rows): largest max relative error " + err(worst) +
                      (worst < exact_error ? ", exact attention up to rounding." : ", NOT exact (above 1e-12)."));
    };
    exactness([](const SparsitySeries&, const SparsityRow& r) { return r.theta == 0; }, "At \u03b8 = 0");
    exactness([&](const SparsitySeries& s, const SparsityRow& r) { return r.theta > 0 && keys(s) > 0 && r.window >= keys(s); },
              "With \u03b8 > 0 and a window W covering every key");

    // Monotone in θ, per series and stage: the fraction of zeros, the largest error (a maximum over
    // outputs, so a noisy statistic) and the rms error.
    int runs = 0, sparsity_ok = 0, max_ok = 0, rms_ok = 0;
    std::vector<std::string> broken;
    for (const auto& s : series) {
        std::map<std::string, std::vector<const SparsityRow*>> by_stage;
        for (const auto* r : s.rows) by_stage[r->stage].push_back(r);
        for (const auto& [stage, rows] : by_stage) {
            if (rows.size() < 2) continue;
            ++runs;
            bool sp = true, mx = true, rms = true;
            for (std::size_t i = 1; i < rows.size(); ++i) {
                sp = sp && rows[i]->sparsity >= rows[i - 1]->sparsity;
                mx = mx && rows[i]->max_rel_error >= rows[i - 1]->max_rel_error;
                rms = rms && !(rows[i]->rms_rel_error < rows[i - 1]->rms_rel_error);
            }
            sparsity_ok += sp;
            max_ok += mx;
            rms_ok += rms;
            if (!sp || !rms) broken.push_back(s.label + " (" + stage + ")");
        }
    }
    if (runs > 0) {
        const std::string of = " of " + std::to_string(runs);
        std::string line = "As \u03b8 grows, the zero deltas never decrease in " + std::to_string(sparsity_ok) + of + " series-stages, the rms error in " +
                           std::to_string(rms_ok) + of + ", the maximum error in " + std::to_string(max_ok) + of;
        if (!broken.empty()) {
            line += "; sparsity or rms error not monotone in: ";
            for (std::size_t i = 0; i < broken.size() && i < 6; ++i) line += (i ? ", " : "") + broken[i];
        }
        out.push_back(line + ".");
    }
    for (const auto& s : granularity_series(set)) out.push_back(s.label + ": " + pays_text(s, true) + "; " + pays_text(s, false) + ".");
    return out;
}

HtmlReport render_tradeoff_html(const TradeoffSet& set, const TradeoffReportOptions& o) {
    const auto sparsity = sparsity_series(set);
    const auto granularity = granularity_series(set);
    Page p;
    std::string files;
    for (std::size_t i = 0; i < set.files.size(); ++i) files += (i ? ", " : "") + std::string("<b>") + esc(set.files[i]) + "</b>";
    p.body << "<header class=\"top\"><h1>" << esc(o.title) << "</h1><div class=\"meta\">DeltaLLM trade-offs from " << files << " &middot; "
           << set.sparsity.size() << " sparsity rows in " << sparsity.size() << " series &middot; " << set.granularity.size()
           << " skip-granularity rows in " << granularity.size() << " series</div></header>\n<main>\n";
    std::vector<std::pair<std::string, std::string>> sections{{"summary", "Summary"}};
    if (!sparsity.empty()) sections.push_back({"sparsity", "Sparsity and error"});
    if (!granularity.empty()) sections.push_back({"granularity", "Skip granularity"});
    p.body << "<nav class=\"toc\">Contents: ";
    for (std::size_t i = 0; i < sections.size(); ++i) p.body << "<a href=\"#" << sections[i].first << "\">" << i + 1 << ". " << esc(sections[i].second) << "</a>";
    p.body << "</nav>\n<section id=\"summary\"><h2>1. Summary</h2><ul class=\"notes\">";
    for (const auto& f : tradeoff_findings(set)) p.body << "<li>" << esc(f) << "</li>";
    p.body << "</ul></section>\n";
    int n = 2;
    if (!sparsity.empty()) sparsity_section(p, sparsity, n++);
    if (!granularity.empty()) granularity_section(p, granularity, n++);
    return {html_document(o.title, p.body.str(), o.generator), p.figures};
}

std::string render_tradeoff_markdown(const TradeoffSet& set, const TradeoffReportOptions& o, const std::string& html_name, const std::vector<std::string>& figures) {
    std::ostringstream os;
    os << "# " << o.title << "\n\nSummary of [" << html_name << "](" << html_name << "), generated by " << o.generator << " report from ";
    for (std::size_t i = 0; i < set.files.size(); ++i) os << (i ? ", " : "") << "`" << set.files[i] << "`";
    os << ".\n\n";
    for (const auto& f : tradeoff_findings(set)) os << "- " << f << "\n";
    os << "\n";
    auto md = [](std::string s) {
        std::string out;
        for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c == '\n' ? ' ' : c);
        return out;
    };
    const auto sparsity = sparsity_series(set);
    if (!sparsity.empty()) {
        os << "## Sparsity and error against the threshold\n\n| series | θ | stage | zero ΔQ | skipped MACs | max rel. error | rms rel. error |\n"
           << "| --- | ---: | --- | ---: | ---: | ---: | ---: |\n";
        for (const auto& s : sparsity)
            for (const auto* r : s.rows)
                os << "| " << md(s.label) << " | " << num(r->theta) << " | " << md(r->stage) << " | " << format_percent(r->sparsity) << " | "
                   << format_percent(r->mac_skip_fraction) << " | " << err(r->max_rel_error) << " | " << err(r->rms_rel_error) << " |\n";
        os << "\n";
    }
    const auto granularity = granularity_series(set);
    if (!granularity.empty()) {
        os << "## Gain against the skip granularity\n\n| workload | block | block skipped | prefill speedup | prefill energy | decode speedup | decode energy |\n"
           << "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n";
        for (const auto& s : granularity)
            for (const auto* r : s.rows)
                os << "| " << md(s.label) << " | " << r->block_elements << " | " << format_percent(r->block_skip_probability) << " | "
                   << format_ratio(r->prefill_speedup) << " | " << format_ratio(r->prefill_energy_ratio) << " | " << format_ratio(r->decode_speedup)
                   << " | " << format_ratio(r->decode_energy_ratio) << " |\n";
        os << "\n";
    }
    os << "## Figures\n\n";
    for (std::size_t i = 0; i < figures.size(); ++i) os << i + 1 << ". " << figures[i] << "\n";
    return os.str();
}

} // namespace reports
