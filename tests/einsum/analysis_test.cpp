#include <doctest/doctest.h>

#include <algorithm>
#include <array>

#include "einsum/dag.h"
#include "einsum/iteration_space.h"
#include "einsum/op_counts.h"
#include "einsum/pass_analysis.h"
#include "einsum/shape.h"
#include "test_util.h"
#include "workloads/library.h"

using namespace einsum;

namespace {
int passes(const char* name) {
    auto reports = analyze_passes(workloads::load_cascade(name));
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].rank == "M");
    return reports[0].passes;
}
} // namespace

TEST_CASE("pass counts of the attention library") {
    CHECK(passes("attention_3pass") == 3);
    CHECK(passes("attention_2pass") == 2);
    CHECK(passes("attention_1pass") == 1);
    CHECK(passes("fusemax") == 1);
    CHECK(passes("flashdecoding") == 1);
    CHECK(passes("leanattention") == 1);
}

TEST_CASE("pass boundaries name the Einsum pair and the tensor") {
    auto r = analyze_passes(workloads::load_cascade("attention_3pass")).at(0);
    REQUIRE(r.boundaries.size() == 2);
    CHECK(r.boundaries[0].pass == 2);
    CHECK(r.boundaries[0].consumer == "SN");
    CHECK(r.boundaries[0].tensor == "GM");
    CHECK(r.boundaries[1].pass == 3);
    CHECK(r.boundaries[1].consumer == "A");
    CHECK(r.boundaries[1].tensor == "SD");
    auto one = analyze_passes(workloads::load_cascade("fusemax")).at(0);
    CHECK(one.boundaries.empty());
}

TEST_CASE("op counts of the 3-pass cascade match the closed form") {
    Cascade c = workloads::load_cascade("attention_3pass");
    for (auto [M, P, E, F] : {std::array<long, 4>{37, 5, 8, 8}, {1024, 512, 64, 32}, {1, 1, 1, 1}}) {
        Shape s = resolve_shape(c, parse_shape_binding("M=" + std::to_string(M) + ",P=" + std::to_string(P) + ",E=" + std::to_string(E) +
                                                       ",F=" + std::to_string(F)));
        CascadeOps ops = count_ops(c, s);
        CHECK(ops.mac_flops() == 2 * M * P * E + 2 * M * P * F);
        CHECK(ops.totals.at("exp") == M * P);
        CHECK(ops.totals.at("div") == M * P);
        CHECK(ops.totals.at("max") == M * P);
    }
}

TEST_CASE("op counts honour short last tiles and filters") {
    Cascade c = workloads::load_cascade("fusemax");
    Shape s = resolve_shape(c, parse_shape_binding("M=37,P=2,E=3,F=5,M0=16"));
    CascadeOps ops = count_ops(c, s);
    // BQK visits 37 keys, not 3 tiles x 16.
    CHECK(ops.einsums[0].points == 37 * 2 * 3);
    CHECK(ops.totals.at("exp") == 37 * 2 + 3 * 2); // SLN per key, PRM per tile
    Cascade d = workloads::load_cascade("deltallm");
    Shape w = resolve_shape(d, parse_shape_binding("M=10,P=10,E=1,F=1,W=3"));
    // Exact scores only inside the window: key m with m > p - 3 (m + 3 > p), for P = M = 10.
    long inside = 0;
    for (int p = 0; p < 10; ++p)
        for (int m = 0; m < 10; ++m) inside += m + 3 > p;
    auto points = [&](const char* name) {
        for (const auto& e : count_ops(d, w).einsums)
            if (e.name == name) return e.points;
        return std::int64_t{-1};
    };
    CHECK(points("QK") == inside);
    CHECK(points("DL") == 10 - 3);        // the key leaving the window, once per query p >= 3
    CHECK(points("DS") == 100 - inside - 7); // delta scores for the older keys
}

TEST_CASE("the producer/consumer graph of the 3-pass cascade") {
    Cascade c = workloads::load_cascade("attention_3pass");
    CascadeGraph g = build_graph(c);
    CHECK(boost::num_vertices(g) == 6);
    CHECK(boost::num_edges(g) == 7); // QK->GM, QK->SN, GM->SN, SN->SD, SN->A, SD->A, A->AV
    auto order = topological_order(g);
    CHECK(order.front() == 0);
    CHECK(order.back() == 5);
    CHECK(find_cycle(g).empty());
}

TEST_CASE("operation counts past 64 bits are refused, never printed wrapped") {
    Cascade c = parse_cascade(small_header() + "[[einsum]]\nout = \"QK[m,p]\"\nexpr = \"Q[e,p] * K[e,m]\"\n", "big.toml");
    // 2^31 cubed points.
    Shape s = resolve_shape(c, parse_shape_binding("E=2147483648,M=2147483648,P=2147483648"));
    try {
        count_ops(c, s);
        FAIL("expected an error");
    } catch (const InputError& e) {
        CHECK(e.where().file == "big.toml");
        CHECK(e.where().line == 10);
        CHECK(e.where().column == 1);
        CHECK(e.where().key_path == "einsum[0]");
        CHECK(std::string(e.what()).find("more than 2^63 points") != std::string::npos);
    }
    // 2^21 cubed = 2^63 points do not fit either; 2^20 cubed points (and their 2^61 MAC flops) do.
    CHECK_THROWS_AS(count_ops(c, resolve_shape(c, parse_shape_binding("E=2097152,M=2097152,P=2097152"))), InputError);
    CascadeOps ok = count_ops(c, resolve_shape(c, parse_shape_binding("E=1048576,M=1048576,P=1048576")));
    CHECK(ok.macs == std::int64_t{1} << 60);
    CHECK(ok.mac_flops() == std::int64_t{1} << 61);
}

TEST_CASE("every library Einsum's point count equals enumerating its points, short tiles and filters included") {
    // The closed forms of IterationSpace::count (a free loop multiplies; the innermost loop of a
    // filter comparison or of a short last tile is counted, not walked) against walking every point.
    int cascades = 0;
    for (const std::string& name : workloads::cascade_names()) {
        Cascade c = workloads::load_cascade(name);
        // Every attention cascade (GQA shapes where it has HKV; deltallm_decode, one step of deltallm,
        // declares no [attention] roles), and gemm; transformer_layer is gemms of a model dimension D
        // with no filter or short tile.
        std::vector<std::string> bindings;
        if (c.attention || name == "deltallm_decode") {
            bindings = {"M=37,P=5,E=3,F=2", "M=16,P=16,E=1,F=1"};
            const auto ranks = c.all_ranks();
            if (std::find(ranks.begin(), ranks.end(), "HKV") != ranks.end()) bindings.push_back("M=50,P=3,E=2,F=3,B=2,H=4,HKV=2");
        } else if (name == "gemm") {
            bindings = {"K=5,M=7,N=3"};
        }
        if (!bindings.empty()) ++cascades;
        for (const std::string& binding : bindings) {
            INFO(name << " " << binding);
            const Shape s = resolve_shape(c, parse_shape_binding(binding));
            for (const Einsum& e : c.einsums) {
                INFO(e.name);
                IterationSpace space(c, e, s);
                std::int64_t seen = 0;
                space.for_each([&](const std::vector<std::int64_t>&) { ++seen; });
                CHECK(space.count() == seen);
            }
        }
    }
    CHECK(cascades == int(workloads::cascade_names().size()) - 1); // all but transformer_layer
}

TEST_CASE("filtered point counts: the closed form along the innermost loop equals enumerating every point") {
    // deltallm's window Einsums filter on m + W >, ==, < M - P + p: prefill (P = M) and decode-like
    // (P < M) shapes, windows inside, at and past the context.
    Cascade d = workloads::load_cascade("deltallm");
    for (const char* binding : {"M=10,P=10,E=1,F=1,W=3", "M=37,P=5,E=1,F=1,W=4", "M=8,P=8,E=1,F=1,W=8", "M=6,P=6,E=1,F=1,W=20", "M=50,P=1,E=1,F=1,W=7"}) {
        INFO(binding);
        Shape s = resolve_shape(d, parse_shape_binding(binding));
        for (const Einsum& e : d.einsums) {
            INFO(e.name);
            IterationSpace space(d, e, s);
            std::int64_t seen = 0;
            space.for_each([&](const std::vector<std::int64_t>&) { ++seen; });
            CHECK(space.count() == seen);
        }
    }
    // At M = P = 1M the window split (exact, leaving, delta) covers every (m, p) pair once, counted
    // in a million steps rather than 10^12.
    Shape big = resolve_shape(d, parse_shape_binding("M=1048576,P=1048576,E=1,F=1,W=16"));
    std::map<std::string, std::int64_t> n;
    for (const Einsum& e : d.einsums) n[e.name] = IterationSpace(d, e, big).count();
    const std::int64_t all = std::int64_t(1048576) * 1048576;
    CHECK(n.at("DL") == 1048576 - 16);
    CHECK(n.at("QK") + n.at("DL") + n.at("DS") == all);
    // QK: keys m > p - 16 (all later keys too: no causal mask here), so query p misses p - 15 of them.
    const std::int64_t missed = (std::int64_t(1048576) - 16) * (std::int64_t(1048576) - 15) / 2;
    CHECK(n.at("QK") == all - missed);
}

TEST_CASE("a point count that would walk more than 2^30 loop points is refused, located at the Einsum") {
    // leanattention's (tile, key-in-tile) loops at 2^31 keys: its B x H x M / 16 tiles are walked.
    Cascade c = workloads::load_cascade("leanattention");
    Shape s = resolve_shape(c, parse_shape_binding("B=1,H=32,HKV=8,M=2147483648,P=1,E=128,F=128"));
    const Einsum& bqk = c.einsums.front();
    try {
        IterationSpace(c, bqk, s).count();
        FAIL("expected an error");
    } catch (const InputError& e) {
        CHECK(e.where().line > 0);
        CHECK(std::string(e.what()).find("would walk more than 2^30 points of the loops") != std::string::npos);
    }
    // At 16M keys (2^25 tiles walked, the key in a tile counted) the count is exact: every key of every head once.
    Shape m16 = resolve_shape(c, parse_shape_binding("B=1,H=32,HKV=8,M=16777216,P=1,E=1,F=1"));
    CHECK(IterationSpace(c, bqk, m16).count() == std::int64_t(32) * 16777216);
}
