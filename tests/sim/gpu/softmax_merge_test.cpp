// The combine math of split-K and the in-kernel reduction of stream-K, checked against the reference
// evaluator's flashdecoding and leanattention cascades on seeded random inputs.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "einsum/attention_check.h"
#include "einsum/evaluator.h"
#include "sim/gpu/softmax_merge.h"
#include "sim/gpu/work_partition.h"
#include "workloads/library.h"

using namespace sim::gpu;

namespace {

struct Head {
    std::vector<double> scores;              // per key
    std::vector<std::vector<double>> values; // per key, per feature
};

// Scores and values of one (batch, query head, query position), read from the cascade's inputs.
Head head_of(const einsum::TensorMap& in, long long b, long long h, long long hkv, long long p, long long E, long long F, long long M) {
    Head x;
    for (long long m = 0; m < M; ++m) {
        double s = 0;
        for (long long e = 0; e < E; ++e) s += in.at("Q").at({b, h, e, p}) * in.at("K").at({b, hkv, e, m});
        x.scores.push_back(s);
        std::vector<double> v;
        for (long long f = 0; f < F; ++f) v.push_back(in.at("V").at({b, hkv, f, m}));
        x.values.push_back(v);
    }
    return x;
}

} // namespace

TEST_CASE("split-K: merging the evaluator's per-split partials gives its combined output") {
    einsum::Cascade c = workloads::load_cascade("flashdecoding");
    // 37 keys in 4 splits of 10 (the last holds 7); 4 query heads on 2 KV heads.
    einsum::ShapeBinding bind;
    bind.values = {{"B", 2}, {"H", 4}, {"HKV", 2}, {"E", 6}, {"F", 5}, {"M", 37}, {"P", 3}};
    einsum::Shape s = einsum::resolve_shape(c, bind);
    const long long S = s.extent("S"), MS = s.extent("MS"), M1 = s.extent("M1"), M = 37, E = 6, F = 5;
    REQUIRE(S == 4);
    einsum::TensorMap in = einsum::random_attention_inputs(c, s, {7, 0.0});
    einsum::TensorMap out = einsum::evaluate(c, s, in);
    double worst = 0;
    for (long long b = 0; b < 2; ++b)
        for (long long h = 0; h < 4; ++h)
            for (long long p = 0; p < 3; ++p) {
                Head x = head_of(in, b, h, h / 2, p, E, F, M);
                SoftmaxPartial merged = SoftmaxPartial::identity(std::size_t(F));
                for (long long sp = 0; sp < S; ++sp) {
                    SoftmaxPartial part;
                    part.max = out.at("RM").at({b, h, sp, M1, p});
                    part.sum = out.at("RD").at({b, h, sp, M1, p});
                    for (long long f = 0; f < F; ++f) part.numerator.push_back(out.at("RNV").at({b, h, f, sp, M1, p}));
                    // The evaluator's partial is the partial over the split's keys.
                    SoftmaxPartial mine = partial_over(x.scores, x.values, std::size_t(sp * MS), std::size_t(std::min(M, (sp + 1) * MS)));
                    CHECK(part.max == doctest::Approx(mine.max));
                    CHECK(part.sum == doctest::Approx(mine.sum));
                    merged = merge(merged, part);
                }
                std::vector<double> av = finalize(merged);
                for (long long f = 0; f < F; ++f) worst = std::max(worst, std::fabs(av[std::size_t(f)] - out.at("AV").at({b, h, f, p})));
            }
    CHECK(worst < 1e-12);
}

TEST_CASE("stream-K: the model's ranges, merged per head in any grouping, give the leanattention cascade's output") {
    einsum::Cascade c = workloads::load_cascade("leanattention");
    for (long long ctas : {1, 3, 4, 7, 16, 40}) {
        // 2 batches x 3 heads, 50 keys in tiles of 16 (4 tiles, the last short): 24 (row block, tile) pairs.
        einsum::ShapeBinding bind;
        bind.values = {{"B", 2}, {"H", 3}, {"E", 4}, {"F", 3}, {"M", 50}, {"P", 2}, {"C", double(ctas)}};
        einsum::Shape s = einsum::resolve_shape(c, bind);
        const long long M0 = s.extent("M0"), M1 = s.extent("M1"), M = 50, F = 3;
        REQUIRE(M0 == 16);
        einsum::TensorMap in = einsum::random_attention_inputs(c, s, {11, 0.0});
        einsum::TensorMap out = einsum::evaluate(c, s, in);
        auto segs = stream_k_segments(2 * 3, M1, ctas);
        double worst = 0;
        for (long long p = 0; p < 2; ++p) {
            // The host of each block merges the others' partials into its own.
            std::vector<SoftmaxPartial> acc(6, SoftmaxPartial::identity(std::size_t(F)));
            for (const auto& cta : segs)
                for (const Segment& seg : cta) {
                    long long b = seg.block / 3, h = seg.block % 3;
                    Head x = head_of(in, b, h, h, p, 4, F, M);
                    acc[std::size_t(seg.block)] = merge(acc[std::size_t(seg.block)],
                                                        partial_over(x.scores, x.values, std::size_t(seg.tiles.first * M0),
                                                                     std::size_t(std::min(M, seg.tiles.last * M0))));
                }
            for (long long blk = 0; blk < 6; ++blk) {
                std::vector<double> av = finalize(acc[std::size_t(blk)]);
                for (long long f = 0; f < F; ++f)
                    worst = std::max(worst, std::fabs(av[std::size_t(f)] - out.at("AV").at({blk / 3, blk % 3, f, p})));
            }
        }
        INFO("ctas = " << ctas);
        CHECK(worst < 1e-12);
    }
}

TEST_CASE("stream-K: where the cascade's cut equals the model's, its partials are the model's segment partials") {
    einsum::Cascade c = workloads::load_cascade("leanattention");
    // 1 batch x 2 heads x 4 tiles of 16 = 8 tiles over 4 CTAs: 2 tiles each, both cuts agree.
    einsum::ShapeBinding bind;
    bind.values = {{"B", 1}, {"H", 2}, {"E", 4}, {"F", 3}, {"M", 64}, {"P", 2}, {"C", 4}};
    einsum::Shape s = einsum::resolve_shape(c, bind);
    REQUIRE(s.extent("G") == 2);
    einsum::TensorMap in = einsum::random_attention_inputs(c, s, {3, 0.0});
    einsum::TensorMap out = einsum::evaluate(c, s, in);
    auto segs = stream_k_segments(2, 4, 4);
    for (long long cta = 0; cta < 4; ++cta)
        for (const Segment& seg : segs[std::size_t(cta)])
            for (long long p = 0; p < 2; ++p) {
                Head x = head_of(in, 0, seg.block, seg.block, p, 4, 3, 64);
                SoftmaxPartial mine = partial_over(x.scores, x.values, std::size_t(seg.tiles.first * 16), std::size_t(seg.tiles.last * 16));
                CHECK(out.at("PM").at({cta, 0, seg.block, p}) == doctest::Approx(mine.max));
                CHECK(out.at("PD").at({cta, 0, seg.block, p}) == doctest::Approx(mine.sum));
                CHECK(out.at("PNV").at({cta, 0, seg.block, 1, p}) == doctest::Approx(mine.numerator[1]));
            }
}

TEST_CASE("merge: the identity is neutral and the order does not matter") {
    std::vector<double> scores = {0.5, -1.0, 2.0, 0.25, 3.0};
    std::vector<std::vector<double>> values = {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}};
    SoftmaxPartial all = partial_over(scores, values, 0, 5);
    SoftmaxPartial a = partial_over(scores, values, 0, 2), b = partial_over(scores, values, 2, 4), c = partial_over(scores, values, 4, 5);
    auto close = [](const std::vector<double>& x, const std::vector<double>& y) {
        for (std::size_t i = 0; i < x.size(); ++i)
            if (std::fabs(x[i] - y[i]) > 1e-12) return false;
        return true;
    };
    CHECK(close(finalize(merge(merge(a, b), c)), finalize(all)));
    CHECK(close(finalize(merge(c, merge(b, a))), finalize(all)));
    CHECK(close(finalize(merge(SoftmaxPartial::identity(2), all)), finalize(all)));
    CHECK(merge(SoftmaxPartial::identity(2), SoftmaxPartial::identity(2)).sum == 0.0);
}
