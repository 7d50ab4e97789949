#include "reports/peer_section.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "reports/number_format.h"
#include "reports/svg_plot.h"
#include "reports/xml_escape.h"

namespace reports {
namespace {

// One line per shape group over M, for the value `of` a row.
template <class Of>
void add_groups(svg::XyChart& c, const PeerSet& s, const std::vector<std::string>& groups, Of of, const std::string& unit) {
    for (std::size_t i = 0; i < groups.size(); ++i) {
        svg::Series line;
        line.name = groups[i];
        line.colour = categorical_colour(i);
        line.marker = svg::Marker::circle;
        std::vector<const PeerRow*> rows;
        for (const auto& r : s.rows)
            if (r.group() == groups[i] && std::isfinite(of(r))) rows.push_back(&r);
        std::sort(rows.begin(), rows.end(), [](const PeerRow* a, const PeerRow* b) { return a->M < b->M; });
        for (const PeerRow* r : rows) {
            line.points.push_back({double(r->M), of(*r)});
            line.tips.push_back(r->job_id + ": " + format_value(of(*r)) + unit + " (ours " + format_value(r->ours_us) + " \u00b5s, " +
                                (r->best_peer.empty() ? "best" : r->best_peer) + " " + format_value(r->best_peer_us) + " \u00b5s)");
        }
        c.series.push_back(line);
    }
}

} // namespace

std::string peer_target_phrase(const PeerSet& s, const std::string& times) {
    if (!std::isfinite(s.target_speedup)) return "the file names no target speedup";
    int at_least = 0;
    for (const auto& r : s.rows) at_least += r.speedup_vs_best >= s.target_speedup;
    return std::to_string(at_least) + " at " + format_value(s.target_speedup) + times + " or more (the target)";
}

void peer_section(Page& p, const ReportModel& m, int number) {
    const PeerSet& s = *m.peers;
    p.body << "<section id=\"peers\"><h2>" << number << ". Measured against PyTorch SDPA</h2>";
    std::vector<std::string> groups;
    std::vector<double> speedups;
    bool has_copy = false;
    for (const auto& r : s.rows) {
        if (std::find(groups.begin(), groups.end(), r.group()) == groups.end()) groups.push_back(r.group());
        speedups.push_back(r.speedup_vs_best);
        has_copy = has_copy || std::isfinite(r.copy_fraction);
    }
    Stats st = stats(speedups);
    p.body << "<p class=\"lead\">Our measured kernel against the fastest PyTorch SDPA backend on the same jobs in the same run (from <code>" << xml_escape(s.file)
           << "</code>): speedup = backend time / our time over " << st.n << " jobs, geometric mean " << format_value(st.geomean) << "\u00d7, from "
           << format_value(st.min) << "\u00d7 to " << format_value(st.max) << "\u00d7; " << xml_escape(peer_target_phrase(s, "\u00d7")) << ".</p><div class=\"grid\">";

    svg::XyChart c;
    c.title = "Speedup over the best SDPA backend";
    c.x.label = "context length M (keys, log2)";
    c.x.kind = svg::ScaleKind::log2;
    c.x.format = svg::TickFormat::binary;
    c.y.label = "best backend time / ours";
    c.y.format = svg::TickFormat::times;
    c.y.include = {0.9, 1.0};
    c.hlines.push_back({1.0, "#1d2329", svg::Dash::dashed, "parity"});
    if (std::isfinite(s.target_speedup)) c.hlines.push_back({s.target_speedup, "#b03a2e", svg::Dash::dotted, format_value(s.target_speedup) + "\u00d7"});
    add_groups(c, s, groups, [](const PeerRow& r) { return r.speedup_vs_best; }, "\u00d7");
    HtmlTable t;
    for (const auto& col : s.columns) t.head.push_back(xml_escape(col));
    for (const auto& col : s.columns) t.numeric.push_back(col != "job_id" && col != "decomposition" && col != "kernel" && col != "dtype" && col != "best_peer");
    for (const auto& r : s.rows) {
        std::vector<std::string> row;
        for (const auto& cell : r.cells) row.push_back(xml_escape(cell));
        t.rows.push_back(row);
    }
    p.body << p.figure(c, "Speedup of our kernel over the fastest PyTorch SDPA backend per job, one line per batch, heads and head dimension.", t, false);
    if (has_copy) {
        svg::XyChart b;
        b.title = "Fraction of the copy bandwidth";
        b.x = c.x;
        b.y.label = "bytes / time, of the copy bandwidth";
        b.y.format = svg::TickFormat::percent;
        b.y.include = {0.0, 1.0};
        if (std::isfinite(s.target_copy_fraction))
            b.hlines.push_back({s.target_copy_fraction, "#b03a2e", svg::Dash::dotted, format_percent(s.target_copy_fraction)});
        add_groups(b, s, groups, [](const PeerRow& r) { return r.copy_fraction; }, " of copy");
        HtmlTable ct;
        ct.head = {"job_id", "shape", "M", "copy fraction"};
        ct.numeric = {false, false, true, true};
        for (const auto& r : s.rows)
            if (std::isfinite(r.copy_fraction)) ct.rows.push_back({xml_escape(r.job_id), xml_escape(r.group()), std::to_string(r.M), format_percent(r.copy_fraction)});
        p.body << p.figure(b, "Our kernel's bandwidth (compulsory bytes over its time) as a fraction of the architecture's measured copy bandwidth.", ct, false);
    }
    p.body << "</div></section>\n";
}

} // namespace reports
