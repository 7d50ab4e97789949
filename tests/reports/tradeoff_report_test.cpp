#include <doctest/doctest.h>

#include "reports/located_csv.h"
#include "reports/tradeoff_report.h"
#include "reports/tradeoff_rows.h"

using namespace reports;

namespace {

// Two windows, three thresholds, prefill only (the columns of `einsim sparsity --format csv`).
const char* sweep_csv =
    "cascade,input,shape,decode_steps,block_elements,theta,W,stage,tokens,sparsity,block_sparsity,mac_skip_fraction,max_rel_error,rms_rel_error\n"
    "deltallm,synth rho=0.95 seed=1,\"B=1,H=1,E=4,F=4,N=8\",0,1,0,2,overall,8,0,0,0,3e-16,1e-16\n"
    "deltallm,synth rho=0.95 seed=1,\"B=1,H=1,E=4,F=4,N=8\",0,1,0.1,2,overall,8,0.25,0.25,0.1,0.02,0.01\n"
    "deltallm,synth rho=0.95 seed=1,\"B=1,H=1,E=4,F=4,N=8\",0,1,0.2,2,overall,8,0.5,0.5,0.2,0.05,0.03\n"
    "deltallm,synth rho=0.95 seed=1,\"B=1,H=1,E=4,F=4,N=8\",0,1,0,8,overall,8,0,0,0,2e-16,1e-16\n"
    "deltallm,synth rho=0.95 seed=1,\"B=1,H=1,E=4,F=4,N=8\",0,1,0.1,8,overall,8,0.25,0.25,0,4e-16,2e-16\n"
    "deltallm,synth rho=0.95 seed=1,\"B=1,H=1,E=4,F=4,N=8\",0,1,0.2,8,overall,8,0.5,0.5,0,4e-16,2e-16\n";

// The columns of `einsim simulate --arch edge-* --sweep-block ... --format csv` that the report reads.
const char* blocks_csv =
    "arch,model,window,prefill_tokens,decode_context,element_sparsity,block_elements,block_skip_probability,prefill_speedup,"
    "prefill_energy_ratio,decode_speedup,decode_energy_ratio\n"
    "edge-cpu,tiny,16,64,64,0.6,1,0.6,1.3,0.8,1.05,0.97\n"
    "edge-cpu,tiny,16,64,64,0.6,2,0.36,1.1,0.9,0.98,1.01\n"
    "edge-cpu,tiny,16,64,64,0.6,4,0.13,0.99,1.02,0.96,1.03\n";

std::string error_of(const std::vector<LocatedCsv>& files) {
    try {
        load_tradeoff(files);
    } catch (const CsvError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("trade-off CSVs are told apart from result CSVs by their header") {
    CHECK(csv_kind(parse_located_csv(sweep_csv, "s.csv")) == CsvKind::sparsity);
    CHECK(csv_kind(parse_located_csv(blocks_csv, "b.csv")) == CsvKind::granularity);
    CHECK(csv_kind(parse_located_csv("model,M,design,status\nbert,1024,flat,ok\n", "r.csv")) == CsvKind::results);
}

TEST_CASE("the trade-off report reads sweeps, checks exactness and monotonicity, and says where sparsity pays") {
    TradeoffSet set = load_tradeoff({parse_located_csv(sweep_csv, "s.csv"), parse_located_csv(blocks_csv, "b.csv")});
    REQUIRE(set.sparsity.size() == 6);
    REQUIRE(set.granularity.size() == 3);
    CHECK(set.sparsity[2].theta == 0.2);
    CHECK(set.sparsity[2].window == 2);
    CHECK(set.sparsity[2].shape == "B=1,H=1,E=4,F=4,N=8");
    CHECK(set.sparsity[2].line == 4);
    CHECK(set.granularity[1].block_elements == 2);
    CHECK(set.granularity[1].prefill_energy_ratio == 0.9);

    const auto findings = tradeoff_findings(set);
    REQUIRE(findings.size() == 4);
    CHECK(findings[0] == "At \u03b8 = 0 (2 rows): largest max relative error 3e-16, exact attention up to rounding.");
    // W = 8 covers the 8 tokens: exact whatever θ is.
    CHECK(findings[1] == "With \u03b8 > 0 and a window W covering every key (2 rows): largest max relative error 4e-16, exact attention up to rounding.");
    CHECK(findings[2].find("never decrease in 2 of 2 series-stages, the rms error in 2 of 2, the maximum error in 2 of 2.") != std::string::npos);
    // Prefill pays (faster and less energy) at blocks of 1 and 2; decode is faster only at 1, where it
    // also saves energy.
    CHECK(findings[3] == "edge-cpu \u00b7 tiny: prefill pays at blocks of 1, 2 (best 1.30\u00d7 time, 0.800\u00d7 energy, at G = 1); "
                         "decode pays at blocks of 1 (best 1.05\u00d7 time, 0.970\u00d7 energy, at G = 1).");

    HtmlReport html = render_tradeoff_html(set, {"DeltaLLM", "einsim test"});
    CHECK(html.figures == std::vector<std::string>{"Zero deltas and skipped multiply-adds against \u03b8", "Output error against \u03b8",
                                                   "Sparsity\u2013error trade-off", "Speedup against the skip-block size",
                                                   "Energy ratio against the skip-block size"});
    CHECK(html.html.find("<script") == std::string::npos);
    CHECK(html.html.find("W = 2") != std::string::npos);
    const std::string md = render_tradeoff_markdown(set, {"DeltaLLM", "einsim test"}, "r.html", html.figures);
    CHECK(md.find("| W = 2 | 0.2 | overall | 50.0% | 20.0% | 0.05 | 0.03 |") != std::string::npos);
    CHECK(md.find("| edge-cpu \u00b7 tiny | 4 | 13.0% | 0.990\u00d7 | 1.02\u00d7 | 0.960\u00d7 | 1.03\u00d7 |") != std::string::npos);
}

TEST_CASE("a threshold sweep whose error falls as theta grows is reported as not monotone") {
    const std::string csv = "theta,W,stage,sparsity,mac_skip_fraction,max_rel_error,rms_rel_error\n"
                            "0,4,prefill,0,0,0,0\n"
                            "0.1,4,prefill,0.3,0.1,0.2,0.1\n"
                            "0.2,4,prefill,0.6,0.2,0.1,0.05\n";
    const auto findings = tradeoff_findings(load_tradeoff({parse_located_csv(csv, "f.csv")}));
    REQUIRE(findings.size() == 2);
    CHECK(findings[1].find("the rms error in 0 of 1, the maximum error in 0 of 1; sparsity or rms error not monotone in: W = 4 (prefill).") !=
          std::string::npos);
}

TEST_CASE("bad trade-off rows are refused with file, line and column") {
    auto one = [](const std::string& text) { return error_of({parse_located_csv(text, "x.csv")}); };
    CHECK(one("theta,W,stage,sparsity,mac_skip_fraction\n0,4,prefill,0,0\n") ==
          "x.csv:1: missing required column 'max_rel_error' of an einsim sparsity CSV (the header has: theta, W, stage, sparsity, mac_skip_fraction)");
    CHECK(one("theta,W,stage,sparsity,mac_skip_fraction,max_rel_error\n0,4,prefill,abc,0,0\n") ==
          "x.csv:2:13: column 'sparsity' must be a number, not 'abc'");
    CHECK(one("theta,W,stage,sparsity,mac_skip_fraction,max_rel_error\n-0.1,4,prefill,0,0,0\n") ==
          "x.csv:2:1: column 'theta' must be a threshold >= 0, not '-0.1'");
    CHECK(one("theta,W,stage,sparsity,mac_skip_fraction,max_rel_error\n0,4.5,prefill,0,0,0\n") ==
          "x.csv:2:3: column 'W' must be a whole number of keys >= 0, not '4.5'");
    CHECK(one("theta,W,stage,sparsity,mac_skip_fraction,max_rel_error\n0,4,prefill,1.5,0,0\n") ==
          "x.csv:2:13: column 'sparsity' must be a fraction in [0, 1], not '1.5'");
    CHECK(one("theta,W,stage,sparsity,mac_skip_fraction,max_rel_error\n0,4,prefill,0,0,0\n0,4,prefill,0,0,0\n") ==
          "x.csv:3: the same point twice (theta 0, W 4, stage prefill; first at x.csv:2)");
    CHECK(one("block_elements,prefill_speedup,prefill_energy_ratio,decode_speedup,decode_energy_ratio\n0,1,1,1,1\n") ==
          "x.csv:2:1: column 'block_elements' must be a whole number of elements >= 1, not '0'");
    CHECK(one("model,M,design,status\nbert,1024,flat,ok\n").find("x.csv:1: holds neither an einsim sparsity sweep") == 0);
}
