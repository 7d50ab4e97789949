#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "reports/svg_plot.h"

using namespace reports::svg;

TEST_CASE("linear ticks: 1-2-5 steps, domain widened to ticks") {
    Ticks t = nice_ticks(ScaleKind::linear, 0.13, 0.87, 6);
    CHECK(t.lo == doctest::Approx(0));
    CHECK(t.hi == doctest::Approx(1));
    CHECK(t.major == std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1});

    Ticks big = nice_ticks(ScaleKind::linear, 0, 1234, 6);
    CHECK(big.major.front() == 0);
    CHECK(big.major.back() == 1250);
    CHECK(big.major.size() == 6); // step 250

    Ticks flat = nice_ticks(ScaleKind::linear, 5, 5, 6); // a single value is widened around it
    CHECK(flat.lo < 5);
    CHECK(flat.hi > 5);
}

TEST_CASE("log10 ticks: decades, every k-th decade, 1-2-5 inside two decades") {
    Ticks t = nice_ticks(ScaleKind::log10, 3, 45000, 6);
    CHECK(t.lo == doctest::Approx(1));
    CHECK(t.hi == doctest::Approx(1e5));
    CHECK(t.major == std::vector<double>{1, 10, 100, 1000, 10000, 100000});
    CHECK(t.minor.size() == 5 * 8); // 2..9 in each decade

    Ticks wide = nice_ticks(ScaleKind::log10, 1e3, 1e15, 6); // 12 decades: every 2nd
    CHECK(wide.major == std::vector<double>{1e3, 1e5, 1e7, 1e9, 1e11, 1e13, 1e15});

    Ticks ratio = nice_ticks(ScaleKind::log10, 0.79, 14.7, 6);
    CHECK(ratio.lo == doctest::Approx(0.5));
    CHECK(ratio.hi == doctest::Approx(20));
    CHECK(ratio.major == std::vector<double>{0.5, 1, 2, 5, 10, 20});

    Ticks narrow = nice_ticks(ScaleKind::log10, 0.62, 0.88, 6); // under a factor of 2: 1..9 steps
    CHECK(narrow.lo == doctest::Approx(0.6));
    CHECK(narrow.hi == doctest::Approx(0.9));
    CHECK(narrow.major.size() == 4);
}

TEST_CASE("log2 ticks: powers of two over sequence lengths") {
    Ticks t = nice_ticks(ScaleKind::log2, 1024, 1048576, 6);
    CHECK(t.lo == 1024);
    CHECK(t.hi == 1048576);
    CHECK(t.major.size() == 11); // 2^10 .. 2^20
    Ticks odd = nice_ticks(ScaleKind::log2, 1000, 5000, 6);
    CHECK(odd.lo == 512);
    CHECK(odd.hi == 8192);
    Ticks many = nice_ticks(ScaleKind::log2, 1, 1 << 30, 6); // 31 powers: every 3rd labelled
    CHECK(many.major.size() == 11);
    CHECK(many.major.size() + many.minor.size() == 31);
}

TEST_CASE("scales map domains to pixels, log scales by their logarithm") {
    Scale lin{ScaleKind::linear, 0, 10, 100, 200};
    CHECK(lin(5) == doctest::Approx(150));
    Scale y{ScaleKind::linear, 0, 1, 300, 50}; // y grows upwards
    CHECK(y(0.25) == doctest::Approx(237.5));
    Scale lg{ScaleKind::log10, 1, 1000, 0, 300};
    CHECK(lg(10) == doctest::Approx(100));
    CHECK(lg(100) == doctest::Approx(200));
    Scale l2{ScaleKind::log2, 1024, 1048576, 0, 100};
    CHECK(l2(32768) == doctest::Approx(50));
}

TEST_CASE("tick labels: SI, binary sizes, percent, ratios") {
    CHECK(si(0) == "0");
    CHECK(si(950) == "950");
    CHECK(si(1500) == "1.5k");
    CHECK(si(2.05e6) == "2.05M");
    CHECK(si(1e9) == "1G");
    CHECK(si(0.25) == "0.25");
    CHECK(si(1e-5) == "1e-05");
    CHECK(binary_size(1024) == "1K");
    CHECK(binary_size(262144) == "256K");
    CHECK(binary_size(1048576) == "1M");
    CHECK(binary_size(1536) == "1.5K");
    CHECK(binary_size(512) == "512");
    CHECK(tick_label(0.25, TickFormat::percent) == "25%");
    CHECK(tick_label(2, TickFormat::times) == "2\u00d7");
}

TEST_CASE("an XY chart draws its series, legend, axes and escapes text") {
    XyChart c;
    c.title = "A <b> & \"c\"";
    c.x.label = "M (tokens)";
    c.x.kind = ScaleKind::log2;
    c.y.label = "speedup (x)";
    Series s;
    s.name = "bert";
    s.colour = "#112233";
    s.points = {{1024, 1}, {2048, 2}, {4096, 4}};
    c.series.push_back(s);
    Series bad;
    bad.name = "zeros";
    bad.points = {{0, 1}, {1024, -1}}; // not drawable on a log x axis
    c.series.push_back(bad);
    std::string svg = render(c, "p1");
    CHECK(svg.rfind("<svg class=\"chart\" id=\"p1\"", 0) == 0);
    CHECK(svg.find("A &lt;b&gt; &amp; &quot;c&quot;") != std::string::npos);
    CHECK(svg.find("<path class=\"series\"") != std::string::npos);
    CHECK(svg.find("stroke=\"#112233\"") != std::string::npos);
    CHECK(svg.find(">bert</tspan>") != std::string::npos);
    CHECK(svg.find(">M (tokens)</text>") != std::string::npos);
    CHECK(svg.find(">1K</text>") == std::string::npos); // binary labels only with TickFormat::binary
    CHECK(svg.find("clip-path=\"url(#p1-clip)\"") != std::string::npos);
    CHECK(svg.find("http") == std::string::npos);
    CHECK(svg.find("nan") == std::string::npos);
}

TEST_CASE("a stacked bar chart draws one rect per positive component and marks missing bars") {
    StackedBarChart c;
    c.title = "energy";
    c.y.label = "pJ/MAC";
    c.stack_names = {"a", "b"};
    c.stack_colours = {"#ff0000", "#00ff00"};
    BarGroup g;
    g.label = "1K";
    g.bars.push_back({"flat", "#333333", {1, 2}, false, "tip"});
    g.bars.push_back({"fusemax", "#444444", {0.5, 0}, false, ""});
    g.bars.push_back({"other", "#555555", {}, true, "illegal"});
    c.groups.push_back(g);
    std::string svg = render(c, "b1");
    auto count = [&](const std::string& needle) {
        std::size_t n = 0;
        for (auto p = svg.find(needle); p != std::string::npos; p = svg.find(needle, p + 1)) ++n;
        return n;
    };
    CHECK(count("fill=\"#ff0000\"") == 2 + 1); // two bars + legend box
    CHECK(count("fill=\"#00ff00\"") == 1 + 1);
    CHECK(count("class=\"missing\"") == 1);
    CHECK(count("class=\"strip\"") == 3);
}

TEST_CASE("long legend labels wrap after a comma or before a parenthesis") {
    XyChart c;
    c.title = "t";
    Series s;
    s.name = "fusemax (capacity_bytes=1048576, rows=16, cols=16)";
    s.points = {{1, 1}, {2, 2}};
    c.series.push_back(s);
    std::string svg = render(c, "w");
    CHECK(svg.find(">fusemax </tspan>") != std::string::npos);
    CHECK(svg.find(">(capacity_bytes=1048576, </tspan>") != std::string::npos);
    CHECK(svg.find(">rows=16, cols=16)</tspan>") != std::string::npos);
    CHECK(svg.find("<title>fusemax (capacity_bytes=1048576, rows=16, cols=16)</title>") != std::string::npos);
}
