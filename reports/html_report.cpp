#include "reports/html_report.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "reports/html_page.h"
#include "reports/number_format.h"
#include "reports/svg_plot.h"
#include "reports/peer_section.h"
#include "reports/validation_section.h"
#include "reports/xml_escape.h"

namespace reports {
namespace {

using svg::Axis;
using svg::Dash;
using svg::Marker;
using svg::ScaleKind;
using svg::TickFormat;

constexpr std::size_t appendix_row_limit = 1000;

std::string esc(const std::string& s) { return xml_escape(s); }

Axis seq_axis() {
    Axis a;
    a.label = "sequence length M (tokens, log\u2082 scale)";
    a.kind = ScaleKind::log2;
    a.format = TickFormat::binary;
    return a;
}

// Log scale when the values span more than a factor of 8, so that both 0.8x and 15x stay readable.
ScaleKind ratio_scale(const std::vector<double>& values) {
    double lo = INFINITY, hi = 0;
    for (double v : values)
        if (std::isfinite(v) && v > 0) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    return hi > 0 && hi / lo > 8 ? ScaleKind::log10 : ScaleKind::linear;
}

Marker model_marker(int i) {
    static const Marker m[] = {Marker::circle, Marker::square, Marker::triangle, Marker::diamond, Marker::cross};
    return m[i % 5];
}

// 4K for 4096, the number itself where the short form would round (5000).
std::string seq_text(std::int64_t M) {
    std::int64_t unit = 1;
    while (unit < (std::int64_t{1} << 40) && M >= unit * 1024) unit *= 1024;
    return M % unit == 0 ? esc(svg::binary_size(static_cast<double>(M))) : std::to_string(M);
}

std::string model_cell(const ReportModel& m, const std::string& model) { return swatch(m.model_colour(model)) + esc(model); }
std::string variant_cell(const ReportModel& m, const std::string& v) { return swatch(m.variant_colour(v)) + esc(v); }

// "4.20x faster", or "1.22x slower" for a speedup below 1.
std::string faster_or_slower(double speedup) {
    return speedup >= 1 || !std::isfinite(speedup) ? format_ratio(speedup) + " faster" : format_ratio(1 / speedup) + " slower";
}

std::string value_or_dash(double v) { return std::isfinite(v) ? format_value(v) : "\u2013"; }

// ---------------------------------------------------------------------------------------------
// Sections

void header(Page& p, const ReportModel& m) {
    const ResultSet& r = m.results;
    std::string files;
    for (std::size_t i = 0; i < r.files.size(); ++i) files += (i ? ", " : "") + std::string("<b>") + esc(r.files[i]) + "</b>";
    p.body << "<header class=\"top\"><h1>" << esc(m.options.title) << "</h1><div class=\"meta\">" << r.rows.size() << " result rows from " << files
           << " &middot; " << m.ok << " ok, " << m.illegal << " illegal, " << m.error << " error &middot; " << m.models.size() << " model(s), "
           << m.seq_lens.size() << " sequence length(s), " << m.variants.size() << " design(s) &middot; baseline <b>" << esc(m.options.baseline) << "</b>";
    if (m.validation) p.body << " &middot; validation: <b>" << esc(m.validation->file) << "</b>";
    if (m.peers) p.body << " &middot; against PyTorch: <b>" << esc(m.peers->file) << "</b>";
    p.body << "</div></header>\n<main>\n";
}

// The header of a report of GPU measurements alone.
void gpu_header(Page& p, const ReportModel& m) {
    p.body << "<header class=\"top\"><h1>" << esc(m.options.title) << "</h1><div class=\"meta\">GPU measurements";
    if (m.validation) p.body << " &middot; validation: <b>" << esc(m.validation->file) << "</b> (" << m.validation->rows.size() << " jobs)";
    if (m.peers) p.body << " &middot; against PyTorch: <b>" << esc(m.peers->file) << "</b> (" << m.peers->rows.size() << " jobs)";
    p.body << "</div></header>\n<main>\n";
}

void toc(Page& p, const std::vector<std::pair<std::string, std::string>>& sections) {
    p.body << "<nav class=\"toc\">Contents: ";
    for (std::size_t i = 0; i < sections.size(); ++i)
        p.body << "<a href=\"#" << sections[i].first << "\">" << i + 1 << ". " << esc(sections[i].second) << "</a>";
    p.body << "</nav>\n";
}

void summary(Page& p, const ReportModel& m) {
    p.body << "<section id=\"summary\"><h2>1. Summary</h2>";
    if (!m.summaries.empty()) {
        p.body << "<div class=\"cards\">";
        for (const auto& s : m.summaries) {
            if (std::find(m.plotted_compared.begin(), m.plotted_compared.end(), s.variant) == m.plotted_compared.end()) continue;
            p.body << "<div class=\"card\" style=\"border-left-color:" << m.variant_colour(s.variant) << "\"><div class=\"label\">" << esc(s.variant) << " vs "
                   << esc(m.options.baseline) << " &middot; attention, geomean of " << s.speedup.n << " points</div><div class=\"big\">"
                   << faster_or_slower(s.speedup.geomean) << "</div><div class=\"small\">at " << format_ratio(s.energy_ratio.geomean) << " the energy";
            if (s.e2e_speedup.n)
                p.body << " &middot; end to end: " << faster_or_slower(s.e2e_speedup.geomean) << " at " << format_ratio(s.e2e_energy_ratio.geomean) << " the energy";
            p.body << "</div></div>";
        }
        p.body << "</div>";
        HtmlTable t;
        t.head = {"design", "vs", "points", "speedup mean", "speedup geomean", "speedup min", "speedup max", "energy ratio mean", "energy ratio geomean"};
        if (m.has_e2e) t.head.insert(t.head.end(), {"e2e speedup mean", "e2e speedup geomean", "e2e energy ratio mean", "e2e energy ratio geomean"});
        t.numeric.assign(t.head.size(), true);
        t.numeric[0] = t.numeric[1] = false;
        for (const auto& s : m.summaries) {
            std::vector<std::string> row{variant_cell(m, s.variant), esc(m.options.baseline), std::to_string(s.speedup.n), format_ratio(s.speedup.mean),
                                         format_ratio(s.speedup.geomean), format_ratio(s.speedup.min), format_ratio(s.speedup.max),
                                         format_ratio(s.energy_ratio.mean), format_ratio(s.energy_ratio.geomean)};
            if (m.has_e2e)
                for (double v : {s.e2e_speedup.mean, s.e2e_speedup.geomean, s.e2e_energy_ratio.mean, s.e2e_energy_ratio.geomean}) row.push_back(format_ratio(v));
            t.rows.push_back(row);
        }
        p.body << "<p class=\"lead\">Speedup = " << esc(m.options.baseline) << " cycles \u00f7 design cycles; energy ratio = design energy \u00f7 "
               << esc(m.options.baseline)
               << " energy (below 1 is better), at the same model and sequence length. Means are over the (model, M) points where both are legal.</p>"
               << t.str();
    }
    if (!m.results.variant_columns.empty()) {
        std::string cols;
        for (const auto& c : m.results.variant_columns) cols += (cols.empty() ? "" : ", ") + std::string("<code>") + esc(c) + "</code>";
        p.body << "<p class=\"lead\">Rows of one design at one model and sequence length differ in " << cols
               << "; each combination is plotted as its own design, named with those values.</p>";
    }
    if (!m.notes.empty()) {
        p.body << "<ul class=\"notes\">";
        for (const auto& n : m.notes) p.body << "<li>" << esc(n) << "</li>";
        p.body << "</ul>";
    }
    p.body << "</section>\n";
}

// One line per model over M, attention solid and end to end dashed.
svg::XyChart ratio_chart(const ReportModel& m, const std::string& variant, bool speedup) {
    svg::XyChart c;
    const std::string& base = m.options.baseline;
    c.title = speedup ? variant + ": speedup over " + base : variant + ": energy relative to " + base;
    c.subtitle = speedup ? "higher is better" : "lower is better";
    c.x = seq_axis();
    c.y.label = speedup ? "speedup (" + base + " cycles \u00f7 cycles)" : "energy ratio (energy \u00f7 " + base + " energy)";
    c.y.format = TickFormat::times;
    c.y.include = {1};
    std::vector<double> all;
    for (const auto& model : m.models) {
        svg::Series a, e;
        a.name = model;
        a.colour = e.colour = m.model_colour(model);
        a.marker = Marker::circle;
        e.marker = Marker::square;
        e.dash = Dash::dashed;
        for (auto M : m.seq_lens) {
            const BaselineRatio* x = m.ratio(model, M, variant);
            if (!x) continue;
            double av = speedup ? x->speedup : x->energy_ratio, ev = speedup ? x->e2e_speedup : x->e2e_energy_ratio;
            a.points.push_back({static_cast<double>(M), av});
            a.tips.push_back(model + ", M=" + std::to_string(M) + ": attention " + format_ratio(av));
            e.points.push_back({static_cast<double>(M), ev});
            e.tips.push_back(model + ", M=" + std::to_string(M) + ": end to end " + format_ratio(ev));
            all.push_back(av);
            all.push_back(ev);
        }
        c.series.push_back(a);
        if (m.has_e2e) c.series.push_back(e);
    }
    c.y.kind = ratio_scale(all);
    if (c.y.kind == ScaleKind::linear) c.y.min = 0;
    c.y.label += c.y.kind == ScaleKind::log10 ? ", log scale" : "";
    c.hlines.push_back({1, "#59636e", Dash::dashed, base + " (1\u00d7)"});
    c.legend.push_back({"model", "", Dash::solid, Marker::none, true, true});
    for (const auto& model : m.models) c.legend.push_back({model, m.model_colour(model), Dash::solid, Marker::none, false, false});
    if (m.has_e2e) {
        c.legend.push_back({"scope", "", Dash::solid, Marker::none, true, true});
        c.legend.push_back({"attention", "#59636e", Dash::solid, Marker::circle, true, false});
        c.legend.push_back({"end to end", "#59636e", Dash::dashed, Marker::square, true, false});
    }
    return c;
}

HtmlTable ratio_table(const ReportModel& m, const std::string& variant, bool speedup) {
    HtmlTable t;
    const std::string& base = m.options.baseline;
    std::string metric = speedup ? "cycles" : "energy (pJ)";
    t.head = {"model", "M", esc(base) + " " + metric, "design " + metric, speedup ? "speedup" : "energy ratio"};
    if (m.has_e2e) t.head.insert(t.head.end(), {esc(base) + " e2e " + metric, "design e2e " + metric, speedup ? "e2e speedup" : "e2e energy ratio"});
    t.numeric.assign(t.head.size(), true);
    t.numeric[0] = false;
    const ResultSet& s = m.results;
    std::string col = speedup ? "cycles" : "energy_pj", e2e_col = speedup ? "e2e_cycles" : "e2e_energy_pj";
    for (const auto& model : m.models)
        for (auto M : m.seq_lens) {
            const BaselineRatio* x = m.ratio(model, M, variant);
            if (!x) continue;
            std::vector<std::string> row{model_cell(m, model), seq_text(M), format_value(s.value(*x->base, col)), format_value(s.value(*x->row, col)),
                                         format_ratio(speedup ? x->speedup : x->energy_ratio)};
            if (m.has_e2e)
                row.insert(row.end(), {value_or_dash(s.value(*x->base, e2e_col)), value_or_dash(s.value(*x->row, e2e_col)),
                                       format_ratio(speedup ? x->e2e_speedup : x->e2e_energy_ratio)});
            t.rows.push_back(row);
        }
    return t;
}

void ratios_section(Page& p, const ReportModel& m) {
    p.body << "<section id=\"speedup\"><h2>2. Speedup and energy against " << esc(m.options.baseline) << "</h2>";
    p.body << "<p class=\"lead\">For every design other than the baseline, its speedup and its energy relative to " << esc(m.options.baseline)
           << " at each model and sequence length" << (m.has_e2e ? "; solid lines: attention alone, dashed: the whole transformer layer stack (end to end)" : "")
           << ". One colour per model.</p><div class=\"grid\">";
    for (const auto& v : m.plotted_compared) {
        bool any = false;
        for (const auto& x : m.ratios) any = any || x.row->variant == v;
        if (!any) continue;
        p.body << p.figure(ratio_chart(m, v, true),
                           "Speedup of <b>" + esc(v) + "</b> over " + esc(m.options.baseline) + " per model against sequence length; above the dashed line it is faster.",
                           ratio_table(m, v, true));
        p.body << p.figure(ratio_chart(m, v, false),
                           "Energy of <b>" + esc(v) + "</b> relative to " + esc(m.options.baseline) + "; below the dashed line it spends less.",
                           ratio_table(m, v, false));
    }
    p.body << "</div></section>\n";
}

void utilization_section(Page& p, const ReportModel& m, int number) {
    p.body << "<section id=\"utilization\"><h2>" << number << ". Utilization per unit</h2><p class=\"lead\">Useful operations \u00f7 (peak operations per cycle "
           << "\u00d7 cycles) for the 2D PE array (solid) and the 1D vector array (dashed), per design. A unit near 100% bounds the run; a gap between "
           << "the two is load imbalance.</p><div class=\"grid\">";
    const ResultSet& s = m.results;
    for (const auto& v : m.plotted_variants) {
        svg::XyChart c;
        c.title = v + ": utilization per unit";
        c.x = seq_axis();
        c.y.label = "utilization (% of peak)";
        c.y.format = TickFormat::percent;
        c.y.min = 0;
        c.y.max = 1;
        HtmlTable t;
        t.head = {"model", "M", "2D array", "1D array", "bound by", "cycles"};
        t.numeric = {false, true, true, true, false, true};
        for (const auto& model : m.models) {
            svg::Series a, b;
            a.name = model;
            a.colour = b.colour = m.model_colour(model);
            b.dash = Dash::dashed;
            b.marker = Marker::square;
            for (auto M : m.seq_lens) {
                const ResultRow* r = m.find(model, M, v);
                if (!r) continue;
                double u2 = s.value(*r, "util_2d"), u1 = s.value(*r, "util_1d");
                a.points.push_back({static_cast<double>(M), u2});
                a.tips.push_back(model + ", M=" + std::to_string(M) + ": 2D array " + format_percent(u2));
                b.points.push_back({static_cast<double>(M), u1});
                b.tips.push_back(model + ", M=" + std::to_string(M) + ": 1D array " + format_percent(u1));
                t.rows.push_back({model_cell(m, model), seq_text(M), format_percent(u2), format_percent(u1), esc(s.cell(*r, "bound")), format_value(s.value(*r, "cycles"))});
            }
            c.series.push_back(a);
            c.series.push_back(b);
        }
        c.legend.push_back({"model", "", Dash::solid, Marker::none, true, true});
        for (const auto& model : m.models) c.legend.push_back({model, m.model_colour(model), Dash::solid, Marker::none, false, false});
        c.legend.push_back({"unit", "", Dash::solid, Marker::none, true, true});
        c.legend.push_back({"2D array", "#59636e", Dash::solid, Marker::circle, true, false});
        c.legend.push_back({"1D array", "#59636e", Dash::dashed, Marker::square, true, false});
        p.body << p.figure(c, "Utilization of the 2D and 1D arrays of <b>" + esc(v) + "</b> against sequence length, one colour per model.", t);
    }
    p.body << "</div></section>\n";
}

void energy_section(Page& p, const ReportModel& m, int number) {
    const ResultSet& s = m.results;
    bool per_mac = s.has("macs");
    p.body << "<section id=\"energy\"><h2>" << number << ". Energy breakdown</h2><p class=\"lead\">Attention energy by component, "
           << (per_mac ? "per multiply-accumulate (pJ/MAC, so that sequence lengths compare)" : "in pJ")
           << ", one group of bars per sequence length and one bar per design (the strip under a bar is the design's colour; \u00d7 marks an illegal point).</p><div class=\"grid\">";
    const auto& comps = energy_components();
    for (const auto& model : m.models) {
        svg::StackedBarChart c;
        c.title = model + ": attention energy by component";
        c.x_label = "sequence length M, one bar per design";
        c.y.label = per_mac ? "energy per MAC (pJ/MAC)" : "energy (pJ)";
        for (const auto& comp : comps) {
            c.stack_names.push_back(comp.label);
            c.stack_colours.push_back(comp.colour);
        }
        c.extra_legend.push_back({"design", "", Dash::solid, Marker::none, true, true});
        for (const auto& v : m.plotted_variants) c.extra_legend.push_back({v, m.variant_colour(v), Dash::solid, Marker::none, false, false});
        HtmlTable t;
        t.head = {"M", "design"};
        for (const auto& comp : comps) t.head.push_back(esc(comp.label) + " (pJ)");
        t.head.push_back("total (pJ)");
        if (per_mac) t.head.push_back("pJ/MAC");
        t.numeric.assign(t.head.size(), true);
        t.numeric[1] = false;
        for (auto M : m.seq_lens) {
            svg::BarGroup g;
            g.label = svg::binary_size(static_cast<double>(M));
            bool any = false;
            for (const auto& v : m.plotted_variants) {
                const ResultRow* r = m.find(model, M, v);
                svg::Bar b;
                b.label = v;
                b.colour = m.variant_colour(v);
                if (!r) {
                    b.missing = true;
                    b.tip = v + " at " + model + ", M=" + std::to_string(M) + ": no ok result";
                    g.bars.push_back(b);
                    continue;
                }
                any = true;
                double macs = per_mac ? s.value(*r, "macs") : 1;
                std::vector<std::string> row{seq_text(M), variant_cell(m, v)};
                std::ostringstream tip;
                tip << v << ", " << model << ", M=" << M;
                for (const auto& comp : comps) {
                    double e = s.value(*r, comp.column);
                    b.stack.push_back(e / macs);
                    row.push_back(value_or_dash(e));
                    tip << "\n" << comp.label << ": " << value_or_dash(e / macs) << (per_mac ? " pJ/MAC" : " pJ");
                }
                row.push_back(format_value(s.value(*r, "energy_pj")));
                if (per_mac) row.push_back(format_value(s.value(*r, "energy_pj") / macs));
                b.tip = tip.str();
                g.bars.push_back(b);
                t.rows.push_back(row);
            }
            if (any) c.groups.push_back(g);
        }
        bool wide = m.seq_lens.size() * m.plotted_variants.size() > 24;
        p.body << p.figure(c, "Attention energy of each design for <b>" + esc(model) + "</b>, stacked by component.", t, wide);
    }
    p.body << "</div></section>\n";
}

void traffic_section(Page& p, const ReportModel& m, int number) {
    const ResultSet& s = m.results;
    p.body << "<section id=\"traffic\"><h2>" << number << ". Traffic per memory level</h2><p class=\"lead\">Bytes moved to and from DRAM (solid) and the "
           << "global buffer (dashed), reads plus writes, per design; log scale. The table adds the buffer capacity each mapping needs.</p><div class=\"grid\">";
    for (const auto& model : m.models) {
        svg::XyChart c;
        c.title = model + ": traffic per level";
        c.x = seq_axis();
        c.y.label = "bytes moved (log scale)";
        c.y.kind = ScaleKind::log10;
        HtmlTable t;
        t.head = {"M", "design", "DRAM read (B)", "DRAM write (B)", "DRAM total (B)", "buffer (B)", "buffer needed (B)"};
        t.numeric = {true, false, true, true, true, true, true};
        for (const auto& v : m.plotted_variants) {
            svg::Series d, b;
            d.name = v;
            d.colour = b.colour = m.variant_colour(v);
            b.dash = Dash::dashed;
            b.marker = Marker::square;
            for (auto M : m.seq_lens) {
                const ResultRow* r = m.find(model, M, v);
                if (!r) continue;
                double dram = s.value(*r, "dram_bytes"), buf = s.value(*r, "buffer_bytes");
                d.points.push_back({static_cast<double>(M), dram});
                d.tips.push_back(v + ", M=" + std::to_string(M) + ": DRAM " + format_value(dram) + " B");
                b.points.push_back({static_cast<double>(M), buf});
                b.tips.push_back(v + ", M=" + std::to_string(M) + ": buffer " + format_value(buf) + " B");
                t.rows.push_back({seq_text(M), variant_cell(m, v), value_or_dash(s.value(*r, "dram_read_bytes")), value_or_dash(s.value(*r, "dram_write_bytes")),
                                  value_or_dash(dram), value_or_dash(buf), value_or_dash(s.value(*r, "buffer_bytes_required"))});
            }
            c.series.push_back(d);
            c.series.push_back(b);
        }
        c.legend.push_back({"design", "", Dash::solid, Marker::none, true, true});
        for (const auto& v : m.plotted_variants) c.legend.push_back({v, m.variant_colour(v), Dash::solid, Marker::none, false, false});
        c.legend.push_back({"level", "", Dash::solid, Marker::none, true, true});
        c.legend.push_back({"DRAM", "#59636e", Dash::solid, Marker::circle, true, false});
        c.legend.push_back({"global buffer", "#59636e", Dash::dashed, Marker::square, true, false});
        p.body << p.figure(c, "Bytes moved per memory level for <b>" + esc(model) + "</b>, one colour per design.", t);
    }
    p.body << "</div></section>\n";
}

void roofline_section(Page& p, const ReportModel& m, int number) {
    const ResultSet& s = m.results;
    p.body << "<section id=\"roofline\"><h2>" << number << ". Roofline</h2>";
    if (!m.has_roofline) {
        std::string note = m.roofline_note;
        note[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(note[0])));
        p.body << "<p class=\"lead\">" << esc(note) << ".</p></section>\n";
        return;
    }
    p.body << "<p class=\"lead\">Attainable MACs per cycle = min(peak, DRAM bandwidth \u00d7 operational intensity), with operational intensity = MACs \u00f7 DRAM "
           << "bytes; one roof per architecture. Points are the designs' achieved MACs per cycle (colour: design, shape: model).</p><div class=\"grid\">";
    struct Group {
        std::string arch;
        double peak, bw;
        std::vector<const ResultRow*> rows;
    };
    std::vector<Group> groups;
    for (const auto& r : s.rows) {
        if (r.status != PointStatus::ok || std::find(m.plotted_variants.begin(), m.plotted_variants.end(), r.variant) == m.plotted_variants.end()) continue;
        double peak = s.value(r, "peak_macs_per_cycle"), bw = s.value(r, "dram_bandwidth_bytes_per_cycle");
        if (!(peak > 0) || !(bw > 0) || !(s.value(r, "macs") > 0) || !(s.value(r, "dram_bytes") > 0) || !(s.value(r, "cycles") > 0)) continue;
        std::string arch = s.cell(r, "arch");
        auto g = std::find_if(groups.begin(), groups.end(), [&](const Group& x) { return x.arch == arch && x.peak == peak && x.bw == bw; });
        if (g == groups.end()) {
            groups.push_back({arch, peak, bw, {}});
            g = groups.end() - 1;
        }
        g->rows.push_back(&r);
    }
    for (const auto& g : groups) {
        svg::XyChart c;
        std::string name = g.arch.empty() ? "architecture" : g.arch;
        c.title = "Roofline: " + name;
        c.subtitle = "peak " + format_value(g.peak) + " MAC/cycle, DRAM " + format_value(g.bw) + " B/cycle, ridge at " + format_value(g.peak / g.bw) + " MAC/B";
        c.x.label = "operational intensity (MACs per DRAM byte, log scale)";
        c.x.kind = ScaleKind::log10;
        c.y.label = "MACs per cycle (log scale)";
        c.y.kind = ScaleKind::log10;
        HtmlTable t;
        t.head = {"model", "M", "design", "MACs", "DRAM bytes", "MAC/B", "achieved MAC/cycle", "roof MAC/cycle", "% of roof"};
        t.numeric = {false, true, false, true, true, true, true, true, true};
        double oi_lo = g.peak / g.bw, oi_hi = oi_lo, y_lo = g.peak;
        std::map<std::string, svg::Series> by_variant;
        std::vector<svg::Series> points;
        for (const ResultRow* r : g.rows) {
            double macs = s.value(*r, "macs"), oi = macs / s.value(*r, "dram_bytes"), achieved = macs / s.value(*r, "cycles");
            double roof = std::min(g.peak, g.bw * oi);
            oi_lo = std::min(oi_lo, oi);
            oi_hi = std::max(oi_hi, oi);
            y_lo = std::min(y_lo, achieved);
            svg::Series pt;
            pt.colour = m.variant_colour(r->variant);
            pt.line = false;
            pt.marker = model_marker(m.model_index(r->model));
            pt.points = {{oi, achieved}};
            pt.tips = {r->variant + ", " + r->model + ", M=" + std::to_string(r->M) + ": " + format_value(achieved) + " MAC/cycle at " + format_value(oi) + " MAC/B"};
            points.push_back(pt);
            t.rows.push_back({model_cell(m, r->model), seq_text(r->M), variant_cell(m, r->variant), format_value(macs), format_value(s.value(*r, "dram_bytes")),
                              format_value(oi), format_value(achieved), format_value(roof), format_percent(achieved / roof)});
        }
        svg::Ticks tx = svg::nice_ticks(ScaleKind::log10, oi_lo / 2, oi_hi * 2);
        svg::Series roof;
        roof.name = "roof";
        roof.colour = "#1d2329";
        roof.marker = Marker::none;
        roof.line_width = 2.4;
        double ridge = g.peak / g.bw;
        if (tx.lo < ridge) roof.points.push_back({tx.lo, g.bw * tx.lo});
        roof.points.push_back({std::max(ridge, tx.lo), g.peak});
        roof.points.push_back({tx.hi, g.peak});
        c.x.min = tx.lo;
        c.x.max = tx.hi;
        c.y.include = {std::min(y_lo, g.bw * tx.lo) / 1.5, g.peak * 1.5};
        c.series.push_back(roof);
        c.series.insert(c.series.end(), points.begin(), points.end());
        c.legend.push_back({"roof", "#1d2329", Dash::solid, Marker::none, true, false});
        c.legend.push_back({"design", "", Dash::solid, Marker::none, true, true});
        std::set<std::string> seen_v, seen_m;
        for (const auto& v : m.plotted_variants)
            for (const ResultRow* r : g.rows)
                if (r->variant == v && seen_v.insert(v).second) c.legend.push_back({v, m.variant_colour(v), Dash::solid, Marker::circle, false, false});
        c.legend.push_back({"model", "", Dash::solid, Marker::none, true, true});
        for (const auto& model : m.models)
            for (const ResultRow* r : g.rows)
                if (r->model == model && seen_m.insert(model).second)
                    c.legend.push_back({model, "#59636e", Dash::solid, model_marker(m.model_index(model)), false, false});
        p.body << p.figure(c, "Roofline of <b>" + esc(name) + "</b> with every ok point run on it.", t);
    }
    p.body << "</div></section>\n";
}

void failed_section(Page& p, const ReportModel& m, int number) {
    const ResultSet& s = m.results;
    p.body << "<section id=\"failed\"><h2>" << number << ". Points not plotted</h2>";
    std::vector<const ResultRow*> failed;
    for (const auto& r : s.rows)
        if (r.status != PointStatus::ok) failed.push_back(&r);
    if (failed.empty()) {
        p.body << "<p class=\"lead\">Every point is ok: none was illegal or failed.</p></section>\n";
        return;
    }
    p.body << "<p class=\"lead\">" << failed.size() << " point(s) are illegal (a mapping that does not fit the architecture) or failed; they are in no plot.</p>";
    HtmlTable t;
    t.head = {"source", "model", "M", "design", "status", "reason"};
    t.numeric = {false, false, true, false, false, false};
    t.row_class = {"", "", "", "", "", "reason"};
    std::vector<std::string> params;
    for (const auto& c : s.columns)
        if (!is_result_column(c) && c != "model" && c != "M" && c != "design") params.push_back(c);
    for (const auto& c : params) {
        t.head.push_back(esc(c));
        t.numeric.push_back(false);
    }
    for (const ResultRow* r : failed) {
        std::vector<std::string> row{esc(csv_location(r->file, r->line)), esc(r->model), r->M ? seq_text(r->M) : "", esc(r->design),
                                     r->status == PointStatus::illegal ? "illegal" : "error", esc(r->reason)};
        for (const auto& c : params) row.push_back(esc(s.cell(*r, c)));
        t.rows.push_back(row);
    }
    p.body << t.str() << "</section>\n";
}

void data_section(Page& p, const ReportModel& m, int number) {
    const ResultSet& s = m.results;
    p.body << "<section id=\"data\"><h2>" << number << ". All result rows</h2><details><summary>Show the " << std::min(s.rows.size(), appendix_row_limit) << " ";
    if (s.rows.size() > appendix_row_limit) p.body << "first of " << s.rows.size() << " ";
    p.body << "rows with every input column</summary>";
    HtmlTable t;
    t.head.push_back("source");
    t.numeric.push_back(false);
    for (std::size_t c = 0; c < s.columns.size(); ++c) {
        t.head.push_back(esc(s.columns[c]));
        bool numeric = true;
        for (const auto& r : s.rows)
            if (!r.cells[c].empty() && std::isnan(r.values[c]) && r.cells[c] != "nan") numeric = false;
        t.numeric.push_back(numeric);
    }
    for (std::size_t i = 0; i < s.rows.size() && i < appendix_row_limit; ++i) {
        const ResultRow& r = s.rows[i];
        std::vector<std::string> row{esc(csv_location(r.file, r.line))};
        for (const auto& cell : r.cells) row.push_back(esc(cell));
        t.rows.push_back(row);
    }
    p.body << t.str() << "</details></section>\n";
}

} // namespace

HtmlReport render_html_report(const ReportModel& m) {
    Page p;
    if (m.gpu_only()) {
        std::vector<std::pair<std::string, std::string>> sections;
        Page body;
        int n = 1;
        if (m.validation) sections.push_back({"validation", "Predicted vs measured"}), validation_section(body, m, n++);
        if (m.peers) sections.push_back({"peers", "Measured vs PyTorch"}), peer_section(body, m, n++);
        gpu_header(p, m);
        toc(p, sections);
        return {html_document(m.options.title, p.body.str() + body.body.str(), m.options.generator), body.figures};
    }
    std::vector<std::pair<std::string, std::string>> sections{{"summary", "Summary"}};
    bool ratios = !m.ratios.empty();
    if (ratios) sections.push_back({"speedup", "Speedup and energy"});
    sections.insert(sections.end(), {{"utilization", "Utilization"}, {"energy", "Energy breakdown"}, {"traffic", "Traffic"}, {"roofline", "Roofline"}});
    if (m.validation) sections.push_back({"validation", "Predicted vs measured"});
    if (m.peers) sections.push_back({"peers", "Measured vs PyTorch"});
    sections.insert(sections.end(), {{"failed", "Points not plotted"}, {"data", "All rows"}});

    // The sections after the summary go into their own page so that figures are numbered in order.
    Page body;
    int n = ratios ? 3 : 2;
    if (ratios) ratios_section(body, m);
    utilization_section(body, m, n++);
    energy_section(body, m, n++);
    traffic_section(body, m, n++);
    roofline_section(body, m, n++);
    if (m.validation) validation_section(body, m, n++);
    if (m.peers) peer_section(body, m, n++);
    failed_section(body, m, n++);
    data_section(body, m, n++);

    header(p, m);
    toc(p, sections);
    summary(p, m);

    return {html_document(m.options.title, p.body.str() + body.body.str(), m.options.generator), body.figures};
}

} // namespace reports
