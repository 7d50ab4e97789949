#include "reports/validation_section.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "reports/number_format.h"
#include "reports/svg_plot.h"
#include "reports/xml_escape.h"

namespace reports {
namespace {

using svg::Dash;
using svg::Marker;
using svg::ScaleKind;

std::string esc(const std::string& s) { return xml_escape(s); }
std::string value_or_dash(double v) { return std::isfinite(v) ? format_value(v) : "\u2013"; }

} // namespace

void validation_section(Page& p, const ReportModel& m, int number) {
    const ValidationSet& v = *m.validation;
    p.body << "<section id=\"validation\"><h2>" << number << ". Predicted against measured</h2>";
    std::vector<double> errs;
    int plotted = 0, within10 = 0, within20 = 0;
    std::vector<std::string> decomps;
    for (const auto& r : v.rows) {
        if (!(r.predicted_us > 0) || !(r.measured_us > 0)) continue;
        ++plotted;
        errs.push_back(r.abs_pct_err);
        within10 += r.abs_pct_err <= 10;
        within20 += r.abs_pct_err <= 20;
        if (std::find(decomps.begin(), decomps.end(), r.decomposition) == decomps.end()) decomps.push_back(r.decomposition);
    }
    Stats e = stats(errs);
    p.body << "<p class=\"lead\">Model predictions against times measured on the GPU (from <code>" << esc(v.file) << "</code>): " << plotted << " of " << v.rows.size()
           << " jobs have both";
    if (e.n)
        p.body << "; mean absolute error " << format_value(e.mean) << "%, largest " << format_value(e.max) << "%; " << within10 << " within \u00b110%, " << within20
               << " within \u00b120%";
    p.body << ". On the dashed line the model is exact; the shaded bands are \u00b110% and \u00b120%.</p><div class=\"grid\">";
    svg::XyChart c;
    c.title = "Predicted vs measured time";
    c.x.label = "measured time (\u00b5s, log scale)";
    c.y.label = "predicted time (\u00b5s, log scale)";
    c.x.kind = c.y.kind = ScaleKind::log10;
    double lo = INFINITY, hi = 0;
    for (const auto& r : v.rows)
        if (r.predicted_us > 0 && r.measured_us > 0) {
            lo = std::min({lo, r.predicted_us, r.measured_us});
            hi = std::max({hi, r.predicted_us, r.measured_us});
        }
    if (!(hi > 0)) lo = 1, hi = 10;
    svg::Ticks tk = svg::nice_ticks(ScaleKind::log10, lo / 1.25, hi * 1.25);
    c.x.min = c.y.min = tk.lo;
    c.x.max = c.y.max = tk.hi;
    auto band = [&](double f, const std::string& colour, double opacity) {
        c.bands.push_back({colour, opacity, {{tk.lo, tk.lo * (1 - f)}, {tk.hi, tk.hi * (1 - f)}, {tk.hi, tk.hi * (1 + f)}, {tk.lo, tk.lo * (1 + f)}}});
    };
    band(0.2, "#1f5fa8", 0.10);
    band(0.1, "#1f5fa8", 0.14);
    svg::Series diag;
    diag.colour = "#1d2329";
    diag.dash = Dash::dashed;
    diag.marker = Marker::none;
    diag.line_width = 1.4;
    diag.points = {{tk.lo, tk.lo}, {tk.hi, tk.hi}};
    c.series.push_back(diag);
    for (std::size_t i = 0; i < decomps.size(); ++i) {
        svg::Series s;
        s.name = decomps[i].empty() ? "jobs" : decomps[i];
        s.colour = categorical_colour(i);
        s.line = false;
        s.marker = Marker::circle;
        for (const auto& r : v.rows)
            if (r.decomposition == decomps[i] && r.predicted_us > 0 && r.measured_us > 0) {
                s.points.push_back({r.measured_us, r.predicted_us});
                s.tips.push_back(r.job_id + ": measured " + format_value(r.measured_us) + " \u00b5s, predicted " + format_value(r.predicted_us) + " \u00b5s (" +
                                 format_value(r.abs_pct_err) + "%)");
            }
        c.series.push_back(s);
    }
    c.legend.push_back({decomps.size() > 1 || (decomps.size() == 1 && !decomps[0].empty()) ? "decomposition" : "jobs", "", Dash::solid, Marker::none, true, true});
    for (std::size_t i = 0; i < decomps.size(); ++i)
        c.legend.push_back({decomps[i].empty() ? "jobs" : decomps[i], categorical_colour(i), Dash::solid, Marker::circle, false, false});
    c.legend.push_back({"exact (y = x)", "#1d2329", Dash::dashed, Marker::none, true, false});
    c.legend.push_back({"\u00b110%", "#9db7d6", Dash::solid, Marker::none, false, false});
    c.legend.push_back({"\u00b120%", "#c9d7e8", Dash::solid, Marker::none, false, false});
    HtmlTable t;
    for (const auto& col : v.columns) t.head.push_back(esc(col));
    bool has_err = std::find(v.columns.begin(), v.columns.end(), "abs_pct_err") != v.columns.end();
    if (!has_err) t.head.push_back("abs % error");
    for (const auto& col : v.columns) t.numeric.push_back(col.size() > 3 && (col.substr(col.size() - 3) == "_us" || col == "abs_pct_err"));
    if (!has_err) t.numeric.push_back(true);
    for (const auto& r : v.rows) {
        std::vector<std::string> row;
        for (const auto& cell : r.cells) row.push_back(esc(cell));
        if (!has_err) row.push_back(value_or_dash(r.abs_pct_err));
        t.rows.push_back(row);
    }
    p.body << p.figure(c, "Predicted against measured time per job, log-log; points inside the darker band are within 10%.", t, false);
    p.body << "</div></section>\n";
}

} // namespace reports
