#include <doctest/doctest.h>

#include <cmath>

#include "einsum/delta_sequence.h"
#include "einsum/evaluator.h"
#include "workloads/library.h"

using namespace einsum;

namespace {

// A 1-channel, 1-head sequence: Q [1,1,1,N] from `q`, K [1,1,1,N] from `k`, V = K.
TokenSequence one_channel(const std::vector<double>& q, const std::vector<double>& k) {
    const auto n = static_cast<std::int64_t>(q.size());
    TokenSequence s{Tensor({1, 1, 1, n}), Tensor({1, 1, 1, n}), Tensor({1, 1, 1, n})};
    s.q.data = q;
    s.k.data = k;
    s.v.data = k;
    return s;
}

double s_at(const TensorMap& t, std::int64_t m, std::int64_t slot) { return t.at("S").at({0, 0, m, slot}); }

} // namespace

TEST_CASE("the delta state follows a hand-worked sequence: reference state, sparse deltas, score rows") {
    // theta = 0.1: the changes 1.0, 0.05, 0.3 (from 1.0), 0.02, -0.4 (from 1.3) keep 1.0, 0.3 and -0.4.
    Cascade c = workloads::load_cascade("deltallm");
    TokenSequence seq = one_channel({1.0, 1.05, 1.3, 1.32, 0.9}, {1, 2, 3, 4, 5});
    Shape s = resolve_shape(c, parse_shape_binding("M=5,P=5,E=1,F=1,W=2,theta=0.1"));
    TensorMap t = evaluate(c, s, {{"Q", seq.q}, {"K", seq.k}, {"V", seq.v}});
    const std::vector<double> qr = {0, 1.0, 1.0, 1.3, 1.3, 0.9}, dq = {1.0, 0, 0.3, 0, -0.4};
    for (std::int64_t p = 0; p <= 5; ++p) CHECK(t.at("QR").at({0, 0, 0, p}) == doctest::Approx(qr[p]));
    for (std::int64_t p = 0; p < 5; ++p) CHECK(t.at("DQ").at({0, 0, 0, p}) == doctest::Approx(dq[p]));
    // W = 2: query p sees keys m >= p - 1 exactly; key p - 2 is leaving the window and is scored
    // with the reference QR; older keys carry their last score plus DQ[p]*K[m].
    CHECK(s_at(t, 0, 3) == doctest::Approx(1.3 * 1));          // leaving at p = 2: QR = 1.3
    CHECK(s_at(t, 0, 4) == doctest::Approx(1.3));              // DQ[3] = 0: unchanged (exact 1.32)
    CHECK(s_at(t, 1, 4) == doctest::Approx(1.3 * 2));          // leaving at p = 3: QR = 1.3
    CHECK(s_at(t, 0, 5) == doctest::Approx(1.3 - 0.4 * 1));    // + DQ[4] K[0]
    CHECK(s_at(t, 1, 5) == doctest::Approx(2.6 - 0.4 * 2));
    CHECK(s_at(t, 2, 5) == doctest::Approx(0.9 * 3));          // leaving at p = 4
    CHECK(s_at(t, 4, 5) == doctest::Approx(0.9 * 5));          // inside the window: exact
    CHECK(t.at("DL").at({0, 0, 1, 3}) == doctest::Approx(2.6));

    // Two of five deltas are zero. DS has 0 + 0 + 0 + 1 + 2 points (older keys); the one at p = 3 is
    // skipped. MACs: 19 exact score points + 3 leaving-key points + 3 delta points + 25 for SN·V.
    SparsityStats st = measure_sparsity(c, s, t);
    REQUIRE(st.deltas.size() == 1);
    CHECK(st.deltas[0].name == "DQ");
    CHECK(st.delta_elements() == 5);
    CHECK(st.delta_zeros() == 2);
    CHECK(st.sparsity() == doctest::Approx(0.4));
    CHECK(st.macs == 50);
    CHECK(st.skipped_macs == 1);
    CHECK(st.mac_skip_fraction() == doctest::Approx(0.02));
}

TEST_CASE("a decode step continues the prefill's state") {
    Cascade prefill = workloads::load_cascade("deltallm");
    Cascade decode = workloads::load_cascade("deltallm_decode");
    // Token 5 (q = 0.95) changes by 0.05 from the reference 0.9: its delta is zero, so keys 0-2 keep
    // the prefill's last score row 0.9, 1.8, 2.7; key 3 leaves the window and is scored with QR = 0.9;
    // keys 4 (window) and 5 (new) are exact.
    TokenSequence seq = one_channel({1.0, 1.05, 1.3, 1.32, 0.9, 0.95}, {1, 2, 3, 4, 5, 6});
    SequenceOptions o{{{"theta", 0.1}, {"W", 2}}, 1, 1};
    SequenceRun run = run_sequence(prefill, &decode, seq, o);
    CHECK(run.prefill.tokens == 5);
    CHECK(run.decode.tokens == 1);
    CHECK(run.decode.sparsity.delta_elements() == 1);
    CHECK(run.decode.sparsity.sparsity() == 1.0);
    CHECK(run.decode.sparsity.skipped_macs == 3); // the three older keys
    CHECK(run.overall.sparsity.delta_zeros() == 3);
    CHECK(run.overall.sparsity.sparsity() == doctest::Approx(0.5));

    // The decode output is softmax over those scores, with V = K.
    const std::vector<double> scores = {0.9, 1.8, 2.7, 3.6, 0.95 * 5, 0.95 * 6};
    double num = 0, den = 0;
    for (std::size_t m = 0; m < scores.size(); ++m) {
        num += std::exp(scores[m]) * double(m + 1);
        den += std::exp(scores[m]);
    }
    double exact_num = 0, exact_den = 0;
    for (int m = 1; m <= 6; ++m) {
        exact_num += std::exp(0.95 * m) * m;
        exact_den += std::exp(0.95 * m);
    }
    CHECK(run.decode.error.max_abs_error == doctest::Approx(std::fabs(num / den - exact_num / exact_den)));
}

TEST_CASE("prefill and decode are exact at theta 0 and with a window covering the sequence") {
    Cascade prefill = workloads::load_cascade("deltallm");
    Cascade decode = workloads::load_cascade("deltallm_decode");
    Cascade shaper = workloads::load_cascade("deltallm");
    Shape s = resolve_shape(shaper, parse_shape_binding("B=2,H=2,M=40,P=40,E=6,F=5"));
    TensorMap in = random_attention_inputs(shaper, s, InputSpec{11, 0.9});
    TokenSequence seq{in.at("Q"), in.at("K"), in.at("V")};
    SequenceRun exact = run_sequence(prefill, &decode, seq, SequenceOptions{{{"theta", 0.0}, {"W", 3}}, 15, 1});
    CHECK(exact.prefill.error.max_rel_error < 1e-12);
    CHECK(exact.decode.error.max_rel_error < 1e-12);
    CHECK(exact.overall.error.max_rel_error < 1e-12);
    CHECK(exact.overall.sparsity.sparsity() == 0.0);
    SequenceRun window = run_sequence(prefill, &decode, seq, SequenceOptions{{{"theta", 0.5}, {"W", 40}}, 15, 1});
    CHECK(window.overall.error.max_rel_error < 1e-12);
    CHECK(window.overall.sparsity.sparsity() > 0.3); // deltas are still thresholded, just never used
    SequenceRun loose = run_sequence(prefill, &decode, seq, SequenceOptions{{{"theta", 0.5}, {"W", 3}}, 15, 1});
    CHECK(loose.overall.error.max_rel_error > 1e-3);
}

TEST_CASE("sparsity and error grow with the threshold on temporally correlated inputs") {
    Cascade prefill = workloads::load_cascade("deltallm");
    Cascade decode = workloads::load_cascade("deltallm_decode");
    Shape s = resolve_shape(prefill, parse_shape_binding("H=2,M=64,P=64,E=16,F=16"));
    TensorMap in = random_attention_inputs(prefill, s, InputSpec{5, 0.95});
    TokenSequence seq{in.at("Q"), in.at("K"), in.at("V")};
    double sparsity = -1, error = -1, skip = -1, rms = -1;
    for (double theta : {0.0, 0.02, 0.05, 0.1, 0.2, 0.4}) {
        SequenceRun r = run_sequence(prefill, &decode, seq, SequenceOptions{{{"theta", theta}, {"W", 8}}, 16, 1});
        INFO("theta " << theta << " sparsity " << r.overall.sparsity.sparsity() << " error " << r.overall.error.max_rel_error);
        CHECK(r.overall.sparsity.sparsity() > sparsity);
        CHECK(r.overall.sparsity.mac_skip_fraction() > skip);
        if (theta == 0.0) CHECK(r.overall.error.max_rel_error < 1e-12);
        else CHECK(r.overall.error.max_rel_error > error);
        CHECK(r.overall.rms_rel_error > rms);
        sparsity = r.overall.sparsity.sparsity();
        skip = r.overall.sparsity.mac_skip_fraction();
        error = r.overall.error.max_rel_error;
        rms = r.overall.rms_rel_error;
    }
    CHECK(sparsity > 0.8);
}

TEST_CASE("sequence runs reject inputs that do not fit") {
    Cascade prefill = workloads::load_cascade("deltallm");
    Cascade decode = workloads::load_cascade("deltallm_decode");
    TokenSequence seq = one_channel({1, 2, 3}, {1, 2, 3});
    CHECK_THROWS_WITH_AS(run_sequence(prefill, &decode, seq, SequenceOptions{{}, 3, 1}), doctest::Contains("at least one prefill token"), InputError);
    CHECK_THROWS_WITH_AS(run_sequence(prefill, nullptr, seq, SequenceOptions{{}, 1, 1}), doctest::Contains("need a decode cascade"), InputError);
    TokenSequence bad = seq;
    bad.k = Tensor({1, 1, 2, 3});
    CHECK_THROWS_WITH_AS(run_sequence(prefill, &decode, bad, SequenceOptions{}), doctest::Contains("extents disagree"), InputError);
    CHECK_THROWS_WITH_AS(run_sequence(prefill, &decode, seq, SequenceOptions{{{"tau", 1}}, 0, 1}), doctest::Contains("tau"), InputError);
}
