// Charts drawn as inline SVG for the HTML report: axes on linear, log10 or log2 scales with "nice"
// ticks and labelled units, line and scatter series, shaded bands, reference lines, stacked bars and
// legends. Plain markup only: no scripts, no external fonts, no namespace URLs.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace reports::svg {

enum class ScaleKind { linear, log10, log2 };
// How tick labels read: plain (0.5, 20, 1.5k, 3.2M, 1e-05), binary (1K, 256K, 1M: powers of two
// as sequence lengths are written), percent (a fraction 0.25 -> 25%), times (2x, 0.5x ratios).
enum class TickFormat { plain, binary, percent, times };

// A continuous map from a data domain to a pixel range (range_hi < range_lo for y axes).
struct Scale {
    ScaleKind kind = ScaleKind::linear;
    double domain_lo = 0, domain_hi = 1;
    double range_lo = 0, range_hi = 1;
    double operator()(double v) const;
};

struct Ticks {
    double lo = 0, hi = 1;       // the domain, widened to tick values
    std::vector<double> major;   // labelled
    std::vector<double> minor;   // faint grid only (log10: 2..9 within each decade)
};

// The domain [lo, hi] widened outwards to tick values, with its ticks. Linear: about `target` ticks
// at 1, 2 or 5 x 10^k steps. log10: every decade (or every k-th when there are more than `target`),
// or 1-2-5 / 1..9 steps when the data spans less than a decade. log2: powers of two (every k-th when
// there are more than 2*`target`). lo == hi is widened around the value. Log scales need lo > 0.
Ticks nice_ticks(ScaleKind kind, double lo, double hi, int target = 6);

std::string tick_label(double v, TickFormat format);
// Three significant digits with an SI suffix from k up: 950, 1.5k, 2.05M, 3G; 1e-05 below 0.001.
std::string si(double v);
// Powers of two as sequence lengths are written: 512, 1K, 1.5K, 256K, 1M.
std::string binary_size(double v);

struct Axis {
    std::string label;                 // with the unit, e.g. "sequence length M (tokens, log2)"
    ScaleKind kind = ScaleKind::linear;
    TickFormat format = TickFormat::plain;
    std::optional<double> min, max;    // fixed bounds instead of the data's range
    std::vector<double> include;       // values the domain must contain (e.g. 1 for ratios)
};

enum class Dash { solid, dashed, dotted };
enum class Marker { none, circle, square, triangle, diamond, cross };

struct Series {
    std::string name;                  // legend text; empty keeps it out of the legend
    std::string colour = "#333333";
    Dash dash = Dash::solid;
    Marker marker = Marker::circle;
    bool line = true;                  // false: a scatter
    double line_width = 2;
    std::vector<std::pair<double, double>> points; // non-finite points (or <= 0 on a log axis) are not drawn
    std::vector<std::string> tips;     // optional hover text per point (SVG <title>)
};

// A filled polygon in data coordinates (error bands, regions), drawn under the series.
struct Band {
    std::string colour;
    double opacity = 0.15;
    std::vector<std::pair<double, double>> polygon;
};

// A horizontal line across the plot, labelled at its right end (parity, peak).
struct HLine {
    double y = 1;
    std::string colour = "#444444";
    Dash dash = Dash::dashed;
    std::string label;
};

struct LegendEntry {
    std::string label;
    std::string colour = "#333333";
    Dash dash = Dash::solid;
    Marker marker = Marker::none;
    bool line = true;                  // a line sample; false: a filled box
    bool header = false;               // a bold heading line without a sample
};

struct XyChart {
    std::string title, subtitle;
    Axis x, y;
    std::vector<Band> bands;
    std::vector<HLine> hlines;
    std::vector<Series> series;
    std::vector<LegendEntry> legend;   // when empty: one entry per named series
    int width = 620, height = 380;
};

struct Bar {
    std::string label;                 // under the bar when there is room; and in its hover text
    std::string colour;                // the strip under the bar (the design's colour)
    std::vector<double> stack;         // one value per stack component, bottom first
    bool missing = false;              // drawn as a marked gap (an illegal point)
    std::string tip;                   // hover text
};

struct BarGroup {
    std::string label;                 // under the group (e.g. "M=4K")
    std::vector<Bar> bars;
};

struct StackedBarChart {
    std::string title, subtitle;
    std::string x_label;
    Axis y;                            // linear from 0
    std::vector<std::string> stack_names, stack_colours;
    std::vector<BarGroup> groups;
    std::vector<LegendEntry> extra_legend; // appended after the stack components
    int width = 620, height = 380;     // width grows when the bars need it
};

// `id` must be unique in the page: it prefixes the chart's clip path and title ids.
std::string render(const XyChart& chart, const std::string& id);
std::string render(const StackedBarChart& chart, const std::string& id);

} // namespace reports::svg
