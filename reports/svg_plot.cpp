#include "reports/svg_plot.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "reports/xml_escape.h"

namespace reports::svg {
namespace {

double transform(ScaleKind k, double v) {
    switch (k) {
    case ScaleKind::log10: return std::log10(v);
    case ScaleKind::log2: return std::log2(v);
    default: return v;
    }
}

bool drawable(ScaleKind k, double v) { return std::isfinite(v) && (k == ScaleKind::linear || v > 0); }

// Rounds to 12 significant digits so that tick values print cleanly (0.30000000000000004 -> 0.3).
double clean(double v) {
    if (v == 0 || !std::isfinite(v)) return v;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    return std::strtod(buf, nullptr);
}

Ticks linear_ticks(double lo, double hi, int target) {
    if (lo == hi) {
        double d = lo == 0 ? 1 : std::abs(lo) * 0.1;
        lo -= d;
        hi += d;
    }
    double raw = (hi - lo) / std::max(1, target - 1);
    double mag = std::pow(10, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * mag >= raw * 0.999) { step = m * mag; break; }
    Ticks t;
    t.lo = clean(std::floor(lo / step + 1e-9) * step);
    t.hi = clean(std::ceil(hi / step - 1e-9) * step);
    long n = std::lround((t.hi - t.lo) / step);
    for (long i = 0; i <= n; ++i) t.major.push_back(clean(t.lo + i * step));
    return t;
}

Ticks log10_ticks(double lo, double hi, int target) {
    if (lo == hi) {
        lo /= 2;
        hi *= 2;
    }
    int e_lo = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
    int e_hi = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
    Ticks t;
    if (std::log10(hi) - std::log10(lo) > 2.5) {
        int step = std::max(1, (e_hi - e_lo + target - 1) / target);
        e_hi = e_lo + (e_hi - e_lo + step - 1) / step * step;
        t.lo = clean(std::pow(10.0, e_lo));
        t.hi = clean(std::pow(10.0, e_hi));
        for (int e = e_lo; e <= e_hi; e += step) t.major.push_back(clean(std::pow(10.0, e)));
        if (step == 1)
            for (int e = e_lo; e < e_hi; ++e)
                for (int m = 2; m <= 9; ++m) t.minor.push_back(clean(m * std::pow(10.0, e)));
        return t;
    }
    // Less than about a decade: widen to the nearest mantissa in a set, take its multiples as ticks.
    const std::vector<std::vector<double>> sets{{1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
    for (std::size_t s = 0; s < sets.size(); ++s) {
        std::vector<double> all;
        for (int e = e_lo - 1; e <= e_hi; ++e)
            for (double m : sets[s]) all.push_back(clean(m * std::pow(10.0, e)));
        all.push_back(clean(std::pow(10.0, e_hi + 1)));
        double a = lo, b = hi;
        for (double v : all)
            if (v <= lo * (1 + 1e-9)) a = v;
        for (auto it = all.rbegin(); it != all.rend(); ++it)
            if (*it >= hi * (1 - 1e-9)) b = *it;
        std::vector<double> major;
        for (double v : all)
            if (v >= a && v <= b) major.push_back(v);
        if (major.size() >= 3 || s + 1 == sets.size()) {
            t.lo = a;
            t.hi = b;
            t.major = major;
            return t;
        }
    }
    return t;
}

Ticks log2_ticks(double lo, double hi, int target) {
    if (lo == hi) {
        lo /= 2;
        hi *= 2;
    }
    int e_lo = static_cast<int>(std::floor(std::log2(lo) + 1e-9));
    int e_hi = static_cast<int>(std::ceil(std::log2(hi) - 1e-9));
    int step = std::max(1, (e_hi - e_lo + 2 * target - 1) / (2 * target));
    Ticks t;
    t.lo = std::ldexp(1.0, e_lo);
    t.hi = std::ldexp(1.0, e_hi);
    for (int e = e_lo; e <= e_hi; ++e) {
        if ((e - e_lo) % step == 0) t.major.push_back(std::ldexp(1.0, e));
        else t.minor.push_back(std::ldexp(1.0, e));
    }
    return t;
}

std::string fmt(double v) { // pixel coordinates
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    std::string s = buf;
    if (s == "-0.0") s = "0.0";
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
    return s;
}

std::string trim_number(double v, int sig) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*g", sig, v);
    return buf;
}

std::string dash_attr(Dash d) {
    switch (d) {
    case Dash::dashed: return " stroke-dasharray=\"7 4\"";
    case Dash::dotted: return " stroke-dasharray=\"2 3\"";
    default: return "";
    }
}

// Rough text width for layout (no font metrics without a browser): sans-serif averages ~0.58 em.
double text_width(const std::string& s, double font_px) {
    std::size_t chars = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
    return static_cast<double>(chars) * font_px * 0.58;
}

std::string shorten(const std::string& s, std::size_t max_chars) {
    if (s.size() <= max_chars) return s;
    return s.substr(0, max_chars - 1) + "\u2026";
}

std::string marker_svg(Marker m, double x, double y, const std::string& colour, double r = 3.6) {
    std::ostringstream os;
    std::string style = " fill=\"" + colour + "\" stroke=\"#ffffff\" stroke-width=\"1\"";
    switch (m) {
    case Marker::circle: os << "<circle cx=\"" << fmt(x) << "\" cy=\"" << fmt(y) << "\" r=\"" << fmt(r) << "\"" << style << "/>"; break;
    case Marker::square:
        os << "<rect x=\"" << fmt(x - r) << "\" y=\"" << fmt(y - r) << "\" width=\"" << fmt(2 * r) << "\" height=\"" << fmt(2 * r) << "\"" << style << "/>";
        break;
    case Marker::triangle:
        os << "<path d=\"M" << fmt(x) << " " << fmt(y - r * 1.2) << "L" << fmt(x + r * 1.1) << " " << fmt(y + r * 0.8) << "L" << fmt(x - r * 1.1) << " "
           << fmt(y + r * 0.8) << "Z\"" << style << "/>";
        break;
    case Marker::diamond:
        os << "<path d=\"M" << fmt(x) << " " << fmt(y - r * 1.3) << "L" << fmt(x + r * 1.1) << " " << fmt(y) << "L" << fmt(x) << " " << fmt(y + r * 1.3) << "L"
           << fmt(x - r * 1.1) << " " << fmt(y) << "Z\"" << style << "/>";
        break;
    case Marker::cross:
        os << "<path d=\"M" << fmt(x - r) << " " << fmt(y - r) << "L" << fmt(x + r) << " " << fmt(y + r) << "M" << fmt(x - r) << " " << fmt(y + r) << "L"
           << fmt(x + r) << " " << fmt(y - r) << "\" stroke=\"" << colour << "\" stroke-width=\"2\" fill=\"none\"/>";
        break;
    case Marker::none: break;
    }
    return os.str();
}

constexpr double legend_row_px = 17, legend_line_px = 13, font_px = 11.5;
constexpr std::size_t legend_line_chars = 30;

// A legend label in lines of at most legend_line_chars, broken after ", " or before " (" (design
// names with their parameters), at most three lines.
std::vector<std::string> legend_lines(const std::string& label) {
    std::vector<std::string> lines;
    std::string rest = label;
    while (rest.size() > legend_line_chars && lines.size() < 2) {
        std::size_t cut = std::string::npos;
        for (std::size_t i = 1; i < rest.size() && i <= legend_line_chars; ++i)
            if (rest.compare(i, 2, ", ") == 0) cut = i + 2;
            else if (rest.compare(i, 2, " (") == 0) cut = i + 1;
        if (cut == std::string::npos) break;
        lines.push_back(rest.substr(0, cut));
        rest = rest.substr(cut);
    }
    lines.push_back(shorten(rest, legend_line_chars + 4));
    return lines;
}

double legend_entry_height(const LegendEntry& e) {
    return legend_row_px + legend_line_px * static_cast<double>(legend_lines(e.label).size() - 1);
}

double legend_height(const std::vector<LegendEntry>& entries) {
    double h = 0;
    for (const auto& e : entries) h += legend_entry_height(e);
    return h;
}

double legend_width(const std::vector<LegendEntry>& entries) {
    double w = 0;
    for (const auto& e : entries)
        for (const auto& line : legend_lines(e.label)) w = std::max(w, text_width(line, font_px) + (e.header ? 0 : 30));
    return entries.empty() ? 0 : std::min(250.0, w + 14);
}

std::string legend_svg(const std::vector<LegendEntry>& entries, double x, double y) {
    std::ostringstream os;
    os << "<g class=\"legend\">";
    for (const auto& e : entries) {
        double cy = y + legend_row_px / 2;
        std::vector<std::string> lines = legend_lines(e.label);
        if (e.header) {
            os << "<text x=\"" << fmt(x) << "\" y=\"" << fmt(cy + 4) << "\" class=\"legend-head\">" << xml_escape(lines.front()) << "</text>";
        } else {
            if (e.line) {
                os << "<line x1=\"" << fmt(x) << "\" y1=\"" << fmt(cy) << "\" x2=\"" << fmt(x + 22) << "\" y2=\"" << fmt(cy) << "\" stroke=\"" << e.colour
                   << "\" stroke-width=\"2\"" << dash_attr(e.dash) << "/>";
                os << marker_svg(e.marker, x + 11, cy, e.colour, 3.2);
            } else if (e.marker != Marker::none) {
                os << marker_svg(e.marker, x + 11, cy, e.colour, 4);
            } else {
                os << "<rect x=\"" << fmt(x + 4) << "\" y=\"" << fmt(cy - 5.5) << "\" width=\"14\" height=\"11\" fill=\"" << e.colour << "\"/>";
            }
            os << "<text x=\"" << fmt(x + 28) << "\" y=\"" << fmt(cy + 4) << "\">";
            os << "<title>" << xml_escape(e.label) << "</title>";
            for (std::size_t i = 0; i < lines.size(); ++i)
                os << "<tspan x=\"" << fmt(x + 28) << "\"" << (i ? " dy=\"" + fmt(legend_line_px) + "\"" : "") << ">" << xml_escape(lines[i]) << "</tspan>";
            os << "</text>";
        }
        y += legend_entry_height(e);
    }
    os << "</g>";
    return os.str();
}

struct Frame {
    double left, top, right, bottom; // the plot area in pixels
};

std::string open_svg(int w, int h, const std::string& id, const std::string& title, const std::string& subtitle) {
    std::ostringstream os;
    os << "<svg class=\"chart\" id=\"" << xml_escape(id) << "\" viewBox=\"0 0 " << w << " " << h << "\" width=\"" << w << "\" height=\"" << h
       << "\" role=\"img\" aria-labelledby=\"" << xml_escape(id) << "-title\">";
    os << "<title id=\"" << xml_escape(id) << "-title\">" << xml_escape(title) << "</title>";
    os << "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"" << w << "\" height=\"" << h << "\" fill=\"#ffffff\"/>";
    os << "<text class=\"chart-title\" x=\"12\" y=\"20\">" << xml_escape(title) << "</text>";
    if (!subtitle.empty()) os << "<text class=\"chart-subtitle\" x=\"12\" y=\"36\">" << xml_escape(subtitle) << "</text>";
    return os.str();
}

// Grid, ticks, tick labels and the axis title of one axis.
std::string axis_svg(const Axis& a, const Ticks& t, const Scale& s, const Frame& f, bool vertical) {
    std::ostringstream os;
    os << "<g class=\"grid\">";
    for (double v : t.minor) {
        double p = s(v);
        if (vertical) os << "<line x1=\"" << fmt(f.left) << "\" y1=\"" << fmt(p) << "\" x2=\"" << fmt(f.right) << "\" y2=\"" << fmt(p) << "\" class=\"minor\"/>";
        else os << "<line x1=\"" << fmt(p) << "\" y1=\"" << fmt(f.top) << "\" x2=\"" << fmt(p) << "\" y2=\"" << fmt(f.bottom) << "\" class=\"minor\"/>";
    }
    for (double v : t.major) {
        double p = s(v);
        if (vertical) os << "<line x1=\"" << fmt(f.left) << "\" y1=\"" << fmt(p) << "\" x2=\"" << fmt(f.right) << "\" y2=\"" << fmt(p) << "\"/>";
        else os << "<line x1=\"" << fmt(p) << "\" y1=\"" << fmt(f.top) << "\" x2=\"" << fmt(p) << "\" y2=\"" << fmt(f.bottom) << "\"/>";
    }
    os << "</g><g class=\"axis\">";
    for (double v : t.major) {
        double p = s(v);
        std::string label = xml_escape(tick_label(v, a.format));
        if (vertical)
            os << "<line x1=\"" << fmt(f.left - 4) << "\" y1=\"" << fmt(p) << "\" x2=\"" << fmt(f.left) << "\" y2=\"" << fmt(p) << "\"/><text x=\""
               << fmt(f.left - 7) << "\" y=\"" << fmt(p + 4) << "\" text-anchor=\"end\">" << label << "</text>";
        else
            os << "<line x1=\"" << fmt(p) << "\" y1=\"" << fmt(f.bottom) << "\" x2=\"" << fmt(p) << "\" y2=\"" << fmt(f.bottom + 4) << "\"/><text x=\"" << fmt(p)
               << "\" y=\"" << fmt(f.bottom + 17) << "\" text-anchor=\"middle\">" << label << "</text>";
    }
    if (vertical) {
        double cx = 15, cy = (f.top + f.bottom) / 2;
        os << "<text class=\"axis-title\" x=\"" << fmt(cx) << "\" y=\"" << fmt(cy) << "\" text-anchor=\"middle\" transform=\"rotate(-90 " << fmt(cx) << " "
           << fmt(cy) << ")\">" << xml_escape(a.label) << "</text>";
    } else {
        os << "<text class=\"axis-title\" x=\"" << fmt((f.left + f.right) / 2) << "\" y=\"" << fmt(f.bottom + 36) << "\" text-anchor=\"middle\">"
           << xml_escape(a.label) << "</text>";
    }
    os << "<line x1=\"" << fmt(f.left) << "\" y1=\"" << fmt(f.bottom) << "\" x2=\"" << fmt(f.right) << "\" y2=\"" << fmt(f.bottom) << "\"/>";
    os << "<line x1=\"" << fmt(f.left) << "\" y1=\"" << fmt(f.top) << "\" x2=\"" << fmt(f.left) << "\" y2=\"" << fmt(f.bottom) << "\"/>";
    os << "</g>";
    return os.str();
}

Ticks axis_ticks(const Axis& a, std::vector<double> values, int target) {
    values.erase(std::remove_if(values.begin(), values.end(), [&](double v) { return !drawable(a.kind, v); }), values.end());
    for (double v : a.include)
        if (drawable(a.kind, v)) values.push_back(v);
    double lo = values.empty() ? (a.kind == ScaleKind::linear ? 0 : 1) : *std::min_element(values.begin(), values.end());
    double hi = values.empty() ? (a.kind == ScaleKind::linear ? 1 : 10) : *std::max_element(values.begin(), values.end());
    if (a.min && drawable(a.kind, *a.min)) lo = *a.min;
    if (a.max && drawable(a.kind, *a.max)) hi = *a.max;
    if (hi < lo) std::swap(lo, hi);
    Ticks t = nice_ticks(a.kind, lo, hi, target);
    // Fixed bounds are kept exactly; ticks outside them are dropped.
    if (a.min) t.lo = lo;
    if (a.max) t.hi = hi;
    auto outside = [&](double v) { return v < t.lo * (1 - 1e-12) - 1e-300 || v > t.hi * (1 + 1e-12) + 1e-300; };
    t.major.erase(std::remove_if(t.major.begin(), t.major.end(), outside), t.major.end());
    t.minor.erase(std::remove_if(t.minor.begin(), t.minor.end(), outside), t.minor.end());
    return t;
}

double max_label_width(const Axis& a, const Ticks& t) {
    double w = 0;
    for (double v : t.major) w = std::max(w, text_width(tick_label(v, a.format), font_px));
    return w;
}

} // namespace

double Scale::operator()(double v) const {
    double a = transform(kind, domain_lo), b = transform(kind, domain_hi);
    double f = b == a ? 0.5 : (transform(kind, v) - a) / (b - a);
    return range_lo + f * (range_hi - range_lo);
}

Ticks nice_ticks(ScaleKind kind, double lo, double hi, int target) {
    assert(lo <= hi);
    switch (kind) {
    case ScaleKind::log10: return log10_ticks(lo, hi, target);
    case ScaleKind::log2: return log2_ticks(lo, hi, target);
    default: return linear_ticks(lo, hi, target);
    }
}

std::string si(double v) {
    if (!std::isfinite(v)) return v != v ? "nan" : (v > 0 ? "inf" : "-inf");
    double a = std::abs(v);
    if (a == 0) return "0";
    if (a < 1e-3) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2g", v);
        return buf;
    }
    static const char* suffix[] = {"", "k", "M", "G", "T", "P", "E"};
    int k = 0;
    while (a >= 999.5 && k < 6) {
        a /= 1000;
        v /= 1000;
        ++k;
    }
    return trim_number(v, 3) + suffix[k];
}

std::string binary_size(double v) {
    if (!std::isfinite(v) || v <= 0) return si(v);
    static const char* suffix[] = {"", "K", "M", "G", "T"};
    int k = 0;
    while (v >= 1024 && k < 4) {
        v /= 1024;
        ++k;
    }
    return trim_number(v, 3) + suffix[k];
}

std::string tick_label(double v, TickFormat format) {
    switch (format) {
    case TickFormat::binary: return binary_size(v);
    case TickFormat::percent: return trim_number(clean(v * 100), 3) + "%";
    case TickFormat::times: return si(v) + "\u00d7";
    default: return si(v);
    }
}

std::string render(const XyChart& c, const std::string& id) {
    std::vector<double> xs, ys;
    for (const auto& s : c.series)
        for (auto [x, y] : s.points)
            if (drawable(c.x.kind, x) && drawable(c.y.kind, y)) {
                xs.push_back(x);
                ys.push_back(y);
            }
    for (const auto& b : c.bands)
        for (auto [x, y] : b.polygon) {
            xs.push_back(x);
            ys.push_back(y);
        }
    for (const auto& h : c.hlines) ys.push_back(h.y);
    Ticks tx = axis_ticks(c.x, xs, 7), ty = axis_ticks(c.y, ys, 6);

    std::vector<LegendEntry> legend = c.legend;
    if (legend.empty())
        for (const auto& s : c.series)
            if (!s.name.empty()) legend.push_back({s.name, s.colour, s.dash, s.marker, s.line, false});
    double lw = legend_width(legend);
    double top = c.subtitle.empty() ? 34 : 48;
    double legend_h = legend_height(legend);
    int height = std::max(c.height, static_cast<int>(top + legend_h + 20));
    Frame f{34 + max_label_width(c.y, ty) + 10, top, c.width - 14 - (lw > 0 ? lw + 14 : 0), height - 50.0};
    Scale sx{c.x.kind, tx.lo, tx.hi, f.left, f.right}, sy{c.y.kind, ty.lo, ty.hi, f.bottom, f.top};

    std::ostringstream os;
    os << open_svg(c.width, height, id, c.title, c.subtitle);
    os << axis_svg(c.x, tx, sx, f, false) << axis_svg(c.y, ty, sy, f, true);
    os << "<clipPath id=\"" << xml_escape(id) << "-clip\"><rect x=\"" << fmt(f.left - 5) << "\" y=\"" << fmt(f.top - 5) << "\" width=\"" << fmt(f.right - f.left + 10)
       << "\" height=\"" << fmt(f.bottom - f.top + 10) << "\"/></clipPath>";
    os << "<g class=\"data\" clip-path=\"url(#" << xml_escape(id) << "-clip)\">";
    for (const auto& b : c.bands) {
        os << "<path class=\"band\" d=\"";
        bool first = true;
        for (auto [x, y] : b.polygon) {
            if (!drawable(c.x.kind, x) || !drawable(c.y.kind, y)) continue;
            os << (first ? "M" : "L") << fmt(sx(x)) << " " << fmt(sy(y));
            first = false;
        }
        os << "Z\" fill=\"" << b.colour << "\" fill-opacity=\"" << b.opacity << "\" stroke=\"none\"/>";
    }
    for (const auto& h : c.hlines) {
        if (!drawable(c.y.kind, h.y)) continue;
        double y = sy(h.y);
        os << "<line class=\"hline\" x1=\"" << fmt(f.left) << "\" y1=\"" << fmt(y) << "\" x2=\"" << fmt(f.right) << "\" y2=\"" << fmt(y) << "\" stroke=\"" << h.colour
           << "\" stroke-width=\"1.3\"" << dash_attr(h.dash) << "/>";
        if (!h.label.empty()) // above the line, or below it when the line runs along the top
            os << "<text class=\"hline-label\" x=\"" << fmt(f.right - 4) << "\" y=\"" << fmt(y - f.top < 16 ? y + 13 : y - 4) << "\" text-anchor=\"end\">"
               << xml_escape(h.label) << "</text>";
    }
    for (const auto& s : c.series) {
        std::vector<std::size_t> kept;
        for (std::size_t i = 0; i < s.points.size(); ++i)
            if (drawable(c.x.kind, s.points[i].first) && drawable(c.y.kind, s.points[i].second)) kept.push_back(i);
        if (s.line && kept.size() >= 2) {
            os << "<path class=\"series\" d=\"";
            for (std::size_t k = 0; k < kept.size(); ++k) os << (k ? "L" : "M") << fmt(sx(s.points[kept[k]].first)) << " " << fmt(sy(s.points[kept[k]].second));
            os << "\" fill=\"none\" stroke=\"" << s.colour << "\" stroke-width=\"" << s.line_width << "\" stroke-linejoin=\"round\"" << dash_attr(s.dash) << "/>";
        }
        Marker m = s.marker == Marker::none && kept.size() == 1 ? Marker::circle : s.marker; // a lone point stays visible
        for (std::size_t i : kept) {
            double px = sx(s.points[i].first), py = sy(s.points[i].second);
            if (i < s.tips.size() && !s.tips[i].empty()) os << "<g><title>" << xml_escape(s.tips[i]) << "</title>" << marker_svg(m, px, py, s.colour) << "</g>";
            else os << marker_svg(m, px, py, s.colour);
        }
    }
    os << "</g>";
    os << legend_svg(legend, f.right + 18, f.top);
    os << "</svg>";
    return os.str();
}

std::string render(const StackedBarChart& c, const std::string& id) {
    std::size_t nbars = 0;
    std::vector<double> tops{0};
    for (const auto& g : c.groups) {
        nbars += g.bars.size();
        for (const auto& b : g.bars) {
            double sum = 0;
            for (double v : b.stack)
                if (std::isfinite(v) && v > 0) sum += v;
            tops.push_back(sum);
        }
    }
    Axis y = c.y;
    y.kind = ScaleKind::linear;
    y.min = 0;
    Ticks ty = axis_ticks(y, tops, 6);

    std::vector<LegendEntry> legend;
    for (std::size_t i = 0; i < c.stack_names.size(); ++i) legend.push_back({c.stack_names[i], c.stack_colours[i], Dash::solid, Marker::none, false, false});
    legend.insert(legend.end(), c.extra_legend.begin(), c.extra_legend.end());
    double lw = legend_width(legend);

    const double group_gap = 16, bar_gap = 2;
    double left = 34 + max_label_width(y, ty) + 10;
    double legend_space = lw > 0 ? lw + 14 : 0;
    double avail = c.width - 14 - legend_space - left - group_gap * static_cast<double>(c.groups.size());
    double bw = nbars ? std::clamp((avail - bar_gap * static_cast<double>(nbars)) / static_cast<double>(nbars), 5.0, 40.0) : 10;
    double plot_w = static_cast<double>(nbars) * (bw + bar_gap) + group_gap * static_cast<double>(c.groups.size());
    int width = std::max(c.width, static_cast<int>(left + plot_w + 14 + legend_space));
    bool bar_labels = bw >= 11;
    double label_h = 0;
    if (bar_labels)
        for (const auto& g : c.groups)
            for (const auto& b : g.bars) label_h = std::max(label_h, text_width(shorten(b.label, 16), 10) * 0.65 + 6);
    double top = c.subtitle.empty() ? 34 : 48;
    double legend_h = legend_height(legend);
    double bottom_margin = 10 + label_h + 20 + 24;
    int height = std::max(c.height, static_cast<int>(top + std::max(legend_h, 160.0) + bottom_margin));
    Frame f{left, top, left + plot_w, height - bottom_margin};
    Scale sy{ScaleKind::linear, ty.lo, ty.hi, f.bottom, f.top};

    std::ostringstream os;
    os << open_svg(width, height, id, c.title, c.subtitle);
    // y axis (grid, ticks, title); the x axis is the bar groups.
    os << axis_svg(y, ty, sy, f, true);
    os << "<g class=\"axis\"><text class=\"axis-title\" x=\"" << fmt((f.left + f.right) / 2) << "\" y=\"" << fmt(height - 8.0) << "\" text-anchor=\"middle\">"
       << xml_escape(c.x_label) << "</text></g>";
    os << "<g class=\"data\">";
    double x = f.left + group_gap / 2;
    for (const auto& g : c.groups) {
        double gx0 = x;
        for (const auto& b : g.bars) {
            os << "<g>";
            if (!b.tip.empty()) os << "<title>" << xml_escape(b.tip) << "</title>";
            if (b.missing) {
                os << "<text class=\"missing\" x=\"" << fmt(x + bw / 2) << "\" y=\"" << fmt(f.bottom - 4) << "\" text-anchor=\"middle\">\u00d7</text>";
            } else {
                double base = 0;
                for (std::size_t k = 0; k < b.stack.size(); ++k) {
                    double v = b.stack[k];
                    if (!std::isfinite(v) || v <= 0) continue;
                    double y0 = sy(base), y1 = sy(base + v);
                    os << "<rect x=\"" << fmt(x) << "\" y=\"" << fmt(y1) << "\" width=\"" << fmt(bw) << "\" height=\"" << fmt(std::max(0.0, y0 - y1)) << "\" fill=\""
                       << (k < c.stack_colours.size() ? c.stack_colours[k] : "#888888") << "\"/>";
                    base += v;
                }
            }
            os << "<rect class=\"strip\" x=\"" << fmt(x) << "\" y=\"" << fmt(f.bottom + 2) << "\" width=\"" << fmt(bw) << "\" height=\"4\" fill=\"" << b.colour << "\"/>";
            if (bar_labels) {
                double lx = x + bw / 2 + 3, ly = f.bottom + 12;
                os << "<text class=\"bar-label\" x=\"" << fmt(lx) << "\" y=\"" << fmt(ly) << "\" text-anchor=\"end\" transform=\"rotate(-40 " << fmt(lx) << " " << fmt(ly)
                   << ")\">" << xml_escape(shorten(b.label, 16)) << "</text>";
            }
            os << "</g>";
            x += bw + bar_gap;
        }
        double gx1 = x - bar_gap;
        os << "<text class=\"group-label\" x=\"" << fmt((gx0 + gx1) / 2) << "\" y=\"" << fmt(f.bottom + 10 + label_h + 14) << "\" text-anchor=\"middle\">"
           << xml_escape(g.label) << "</text>";
        if (&g != &c.groups.back())
            os << "<line class=\"group-sep\" x1=\"" << fmt(x + group_gap / 2 - bar_gap) << "\" y1=\"" << fmt(f.top) << "\" x2=\"" << fmt(x + group_gap / 2 - bar_gap)
               << "\" y2=\"" << fmt(f.bottom) << "\"/>";
        x += group_gap;
    }
    os << "</g>";
    os << legend_svg(legend, f.right + 18, f.top);
    os << "</svg>";
    return os.str();
}

} // namespace reports::svg
