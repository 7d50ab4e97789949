#include "reports/html_page.h"

#include "reports/xml_escape.h"

namespace reports {
namespace {

const char* style_sheet = R"(
:root { --ink:#1d2329; --muted:#5b6470; --rule:#d8dde3; --bg:#f4f6f8; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.5 "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; color:var(--ink); background:var(--bg); }
header.top { background:#1e2a38; color:#fff; padding:22px 32px 18px; border-bottom:4px solid #d9621a; }
header.top h1 { margin:0; font-size:25px; font-weight:600; letter-spacing:.2px; }
header.top .meta { color:#c3ccd6; font-size:13px; margin-top:6px; }
header.top .meta b { color:#fff; font-weight:600; }
main { max-width:1300px; margin:0 auto; padding:6px 28px 48px; }
nav.toc { margin:16px 0 0; font-size:13px; color:var(--muted); }
nav.toc a { color:#1f5fa8; text-decoration:none; margin-right:14px; white-space:nowrap; }
section { margin-top:30px; }
h2 { font-size:19px; font-weight:600; margin:0 0 12px; padding-bottom:5px; border-bottom:2px solid var(--ink); }
h3 { font-size:15px; font-weight:600; margin:18px 0 8px; }
p.lead { color:#333c45; max-width:980px; margin:6px 0 14px; }
.cards { display:flex; flex-wrap:wrap; gap:12px; margin:14px 0 4px; }
.card { background:#fff; border:1px solid var(--rule); border-left:5px solid #888; padding:10px 16px 10px 14px; min-width:250px; }
.card .label { font-size:12.5px; color:var(--muted); }
.card .big { font-size:27px; font-weight:600; line-height:1.2; }
.card .small { font-size:12.5px; color:#333c45; }
.grid { display:grid; grid-template-columns:repeat(auto-fill, minmax(560px, 1fr)); gap:18px; align-items:start; }
figure.plot { margin:0; background:#fff; border:1px solid var(--rule); border-radius:3px; padding:10px 10px 8px; }
figure.plot.wide { grid-column:1 / -1; }
svg.chart { width:100%; height:auto; display:block; }
svg.chart text { font-size:11.5px; fill:#2b3138; }
svg.chart .chart-title { font-size:14.5px; font-weight:600; fill:#1d2329; }
svg.chart .chart-subtitle { font-size:11.5px; fill:#5b6470; }
svg.chart .grid line { stroke:#e2e6ea; stroke-width:1; }
svg.chart .grid line.minor { stroke:#f1f3f5; }
svg.chart .axis line { stroke:#68717c; stroke-width:1; }
svg.chart .axis-title { font-weight:600; font-size:12px; }
svg.chart .legend-head { font-weight:600; fill:#5b6470; }
svg.chart .hline-label { font-size:10.5px; fill:#444; }
svg.chart .bar-label { font-size:10px; fill:#444; }
svg.chart .group-label { font-weight:600; }
svg.chart .group-sep { stroke:#e2e6ea; }
svg.chart .missing { fill:#9aa2ab; font-size:13px; }
figcaption { font-size:12.5px; color:var(--muted); margin:6px 2px 8px; }
figcaption b { color:var(--ink); }
.table-wrap { max-height:270px; overflow:auto; border:1px solid var(--rule); }
table { border-collapse:collapse; font-size:12px; width:100%; font-variant-numeric:tabular-nums; background:#fff; }
th { position:sticky; top:0; background:#eceff3; text-align:left; font-weight:600; padding:4px 8px; border-bottom:1px solid var(--rule); white-space:nowrap; }
td { padding:3px 8px; border-bottom:1px solid #edf0f3; white-space:nowrap; }
tr:nth-child(even) td { background:#fafbfc; }
td.num, th.num { text-align:right; }
td.reason { white-space:normal; min-width:260px; }
.sw { display:inline-block; width:10px; height:10px; margin-right:6px; vertical-align:-1px; border-radius:2px; }
.notes { background:#fff8e6; border:1px solid #f0d9a0; padding:8px 14px 8px 30px; margin:12px 0; font-size:13px; }
.notes li { margin:2px 0; }
details summary { cursor:pointer; color:#1f5fa8; margin:6px 0; }
footer { margin-top:36px; color:var(--muted); font-size:12px; border-top:1px solid var(--rule); padding-top:10px; }
@media print { body { background:#fff; } .table-wrap { max-height:none; overflow:visible; } figure.plot { break-inside:avoid; } }
)";

} // namespace

std::string HtmlTable::str() const {
    std::ostringstream os;
    os << "<div class=\"table-wrap\"><table><thead><tr>";
    for (std::size_t c = 0; c < head.size(); ++c) os << "<th" << (c < numeric.size() && numeric[c] ? " class=\"num\"" : "") << ">" << head[c] << "</th>";
    os << "</tr></thead><tbody>";
    for (const auto& r : rows) {
        os << "<tr>";
        for (std::size_t c = 0; c < r.size(); ++c) {
            std::string cls = c < numeric.size() && numeric[c] ? "num" : (c < row_class.size() ? row_class[c] : "");
            os << "<td" << (cls.empty() ? "" : " class=\"" + cls + "\"") << ">" << r[c] << "</td>";
        }
        os << "</tr>";
    }
    os << "</tbody></table></div>";
    return os.str();
}

std::string Page::figure(const svg::XyChart& c, const std::string& caption, const HtmlTable& table, bool wide) {
    return wrap(svg::render(c, next_id()), c.title, caption, table, wide);
}

std::string Page::figure(const svg::StackedBarChart& c, const std::string& caption, const HtmlTable& table, bool wide) {
    return wrap(svg::render(c, next_id()), c.title, caption, table, wide);
}

std::string Page::next_id() const { return "plot-" + std::to_string(figures.size() + 1); }

std::string Page::wrap(const std::string& svg_text, const std::string& title, const std::string& caption, const HtmlTable& table, bool wide) {
    figures.push_back(title);
    std::ostringstream os;
    os << "<figure class=\"plot" << (wide ? " wide" : "") << "\" id=\"fig-" << figures.size() << "\">" << svg_text << "<figcaption><b>Figure "
       << figures.size() << ".</b> " << caption << "</figcaption>" << table.str() << "</figure>\n";
    return os.str();
}

std::string swatch(const std::string& colour) { return "<span class=\"sw\" style=\"background:" + colour + "\"></span>"; }

std::string html_document(const std::string& title, const std::string& body, const std::string& generator) {
    std::ostringstream html;
    html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         << "<title>" << xml_escape(title) << "</title>\n<link rel=\"icon\" href=\"data:,\">\n<style>" << style_sheet << "</style>\n</head>\n<body>\n"
         << body << "<footer>Generated by " << xml_escape(generator)
         << " report. Self-contained: inline SVG and CSS, no scripts, nothing loaded from the network. Hover a point or bar for its values; every plot's "
         << "numbers are in the table under it.</footer>\n</main>\n</body>\n</html>\n";
    return html.str();
}

} // namespace reports
