#include "cli/sparsity_plot.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace cli {
namespace {

constexpr double panel_w = 380, panel_h = 300, margin_l = 70, margin_t = 50, margin_b = 60, gap = 90;
const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};

std::string esc(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else out += c;
    }
    return out;
}

std::string num(double v) {
    std::ostringstream o;
    o.precision(3);
    o << v;
    return o.str();
}

struct Panel {
    double x0;                 // left edge of the plot area
    double xlo, xhi, ylo, yhi; // data bounds (y in log10 units for the error panel)
    double px(double x) const { return x0 + (xhi > xlo ? (x - xlo) / (xhi - xlo) : 0.5) * panel_w; }
    double py(double y) const { return margin_t + panel_h - (yhi > ylo ? (y - ylo) / (yhi - ylo) : 0.5) * panel_h; }
};

void axes(std::ostringstream& o, const Panel& p, const std::string& xlabel, const std::string& ylabel, const std::vector<std::pair<double, std::string>>& yticks) {
    const double bottom = margin_t + panel_h;
    o << "<rect x='" << p.x0 << "' y='" << margin_t << "' width='" << panel_w << "' height='" << panel_h << "' fill='none' stroke='#444'/>\n";
    for (int i = 0; i <= 5; ++i) {
        double x = p.xlo + (p.xhi - p.xlo) * i / 5;
        o << "<line x1='" << p.px(x) << "' y1='" << bottom << "' x2='" << p.px(x) << "' y2='" << bottom + 5 << "' stroke='#444'/>"
          << "<text x='" << p.px(x) << "' y='" << bottom + 18 << "' text-anchor='middle'>" << num(x) << "</text>\n";
    }
    for (const auto& [y, label] : yticks) {
        o << "<line x1='" << p.x0 << "' y1='" << p.py(y) << "' x2='" << p.x0 + panel_w << "' y2='" << p.py(y) << "' stroke='#ddd'/>"
          << "<text x='" << p.x0 - 6 << "' y='" << p.py(y) + 4 << "' text-anchor='end'>" << label << "</text>\n";
    }
    o << "<text x='" << p.x0 + panel_w / 2 << "' y='" << bottom + 40 << "' text-anchor='middle'>" << esc(xlabel) << "</text>\n";
    o << "<text transform='translate(" << p.x0 - 50 << "," << margin_t + panel_h / 2 << ") rotate(-90)' text-anchor='middle'>" << esc(ylabel)
      << "</text>\n";
}

} // namespace

std::string sparsity_svg(const std::vector<SweepPoint>& points, const std::string& title) {
    std::map<std::int64_t, std::vector<SweepPoint>> lines;
    double tlo = 0, thi = 0;
    double elo = 1e300, ehi = -1e300;
    const double floor_error = 1e-16; // exact results are drawn at the double-precision floor
    for (const auto& p : points) {
        lines[p.window].push_back(p);
        tlo = std::min(tlo, p.theta);
        thi = std::max(thi, p.theta);
        double e = std::log10(std::max(p.max_rel_error, floor_error));
        elo = std::min(elo, e);
        ehi = std::max(ehi, e);
    }
    if (points.empty()) elo = -16, ehi = 0;
    elo = std::floor(elo), ehi = std::max(elo + 1, std::ceil(ehi));
    for (auto& [w, v] : lines) std::sort(v.begin(), v.end(), [](const SweepPoint& a, const SweepPoint& b) { return a.theta < b.theta; });

    const double width = margin_l + 2 * panel_w + gap + 130, height = margin_t + panel_h + margin_b;
    std::ostringstream o;
    o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height << "' viewBox='0 0 " << width << " " << height
      << "' font-family='sans-serif' font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n";
    o << "<text x='" << width / 2 << "' y='22' text-anchor='middle' font-size='15'>" << esc(title) << "</text>\n";
    Panel left{margin_l, tlo, thi, 0, 100}, right{margin_l + panel_w + gap, tlo, thi, elo, ehi};
    std::vector<std::pair<double, std::string>> pct, dec;
    for (int v = 0; v <= 100; v += 20) pct.push_back({double(v), std::to_string(v) + "%"});
    const int step = std::max(1, int(std::ceil((ehi - elo) / 8)));
    for (int e = int(elo); e <= int(ehi); e += step) dec.push_back({double(e), "1e" + std::to_string(e)});
    axes(o, left, "threshold θ (units of the query values)", "zero ΔQ entries (solid), skipped MACs (dashed), %", pct);
    axes(o, right, "threshold θ (units of the query values)", "max |out − exact| / max |exact| (log)", dec);
    int k = 0;
    for (const auto& [w, v] : lines) {
        const std::string colour = colours[k % 8];
        // Panel 0: ΔQ sparsity; 1: the same panel, skipped MACs (dashed); 2: the error panel.
        for (int curve = 0; curve < 3; ++curve) {
            const Panel& p = curve < 2 ? left : right;
            std::string path;
            for (const auto& pt : v) {
                double y = curve == 0   ? 100 * pt.sparsity
                           : curve == 1 ? 100 * pt.mac_skip_fraction
                                        : std::log10(std::max(pt.max_rel_error, floor_error));
                path += (path.empty() ? "M" : " L") + num(p.px(pt.theta)) + "," + num(p.py(y));
                o << "<circle cx='" << p.px(pt.theta) << "' cy='" << p.py(y) << "' r='3' fill='" << colour << "'/>\n";
            }
            o << "<path d='" << path << "' fill='none' stroke='" << colour << "' stroke-width='2'" << (curve == 1 ? " stroke-dasharray='6,4'" : "")
              << "/>\n";
        }
        const double ly = margin_t + 10 + 18 * k, lx = right.x0 + panel_w + 15;
        o << "<line x1='" << lx << "' y1='" << ly << "' x2='" << lx + 20 << "' y2='" << ly << "' stroke='" << colour << "' stroke-width='2'/>"
          << "<text x='" << lx + 26 << "' y='" << ly + 4 << "'>W = " << w << " keys</text>\n";
        ++k;
    }
    o << "</svg>\n";
    return o.str();
}

} // namespace cli
