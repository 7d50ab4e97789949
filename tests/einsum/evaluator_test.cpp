#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "einsum/attention_check.h"
#include "einsum/evaluator.h"
#include "einsum/reference_attention.h"
#include "test_util.h"
#include "workloads/library.h"

using namespace einsum;

TEST_CASE("reference attention on a hand-computed case") {
    // One query, two keys, E = F = 1: scores q*k = (0, ln 3) -> weights (1/4, 3/4).
    Tensor q({1, 1, 1, 1}, 1.0);
    Tensor k({1, 1, 1, 2});
    k.data = {0.0, std::log(3.0)};
    Tensor v({1, 1, 1, 2});
    v.data = {4.0, 8.0};
    Tensor out = reference_attention(q, k, v);
    CHECK(out.data[0] == doctest::Approx(0.25 * 4.0 + 0.75 * 8.0).epsilon(1e-15));
}

TEST_CASE("the evaluator computes a GEMM exactly") {
    Cascade c = workloads::load_cascade("gemm");
    Shape s = resolve_shape(c, parse_shape_binding("K=3,M=2,N=2"));
    TensorMap in;
    in["A"] = Tensor({3, 2});
    in["A"].data = {1, 2, 3, 4, 5, 6}; // A[k,m]
    in["B"] = Tensor({3, 2});
    in["B"].data = {1, 0, 0, 1, 1, 1}; // B[k,n]
    Tensor z = evaluate(c, s, in).at("Z");
    // Z[m,n] = sum_k A[k,m] B[k,n]
    CHECK(z.data == std::vector<double>{1 + 5, 3 + 5, 2 + 6, 4 + 6});
}

TEST_CASE("iterative ranks: a running max starts from its initial value") {
    std::string text = small_header() + "[[einsum]]\nout = \"RM[m+1,p]\"\nexpr = \"max(RM[m,p], K[e,m])\"\nreduce = \"max\"\ninit = \"-inf\"\n";
    Cascade c = parse_cascade(text, "rm.toml");
    CHECK(c.einsums[0].recurrence_var == "m");
    CHECK(c.einsums[0].loop_vars.front() == "m");
    Shape s = resolve_shape(c, parse_shape_binding("E=1,M=4,P=1"));
    TensorMap in{{"Q", Tensor({1, 1}, 0.0)}, {"K", Tensor({1, 4})}, {"V", Tensor({1, 4}, 0.0)}};
    in["K"].data = {2, 1, 5, 3};
    Tensor rm = evaluate(c, s, in).at("RM");
    CHECK(rm.data == std::vector<double>{-std::numeric_limits<double>::infinity(), 2, 2, 5, 5});
}

TEST_CASE("an out-of-bounds read is reported with the Einsum and coordinates") {
    std::string text = small_header() + "[[einsum]]\nout = \"Z[m,p]\"\nexpr = \"K[e,m+1]\"\n";
    Cascade c = parse_cascade(text, "oob.toml");
    Shape s = resolve_shape(c, parse_shape_binding("E=1,M=3,P=1"));
    TensorMap in{{"Q", Tensor({1, 1}, 0.0)}, {"K", Tensor({1, 3}, 1.0)}, {"V", Tensor({1, 3}, 0.0)}};
    CHECK_THROWS_WITH_AS(evaluate(c, s, in), doctest::Contains("accesses K[e,m+1] out of bounds"), InputError);
}

// Every attention cascade of the library equals plain softmax attention on random inputs, over
// seeded random shapes that include uneven tiles, M = 1, a single query, GQA and many work units.
TEST_CASE("every attention cascade equals softmax attention on random shapes") {
    std::mt19937_64 rng(2024);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    int checked = 0;
    for (const auto& name : {"attention_3pass", "attention_2pass", "attention_1pass", "fusemax", "flashdecoding", "leanattention", "deltallm"}) {
        Cascade c = workloads::load_cascade(name);
        auto ranks = c.all_ranks();
        auto has_rank = [&](const char* r) { return std::find(ranks.begin(), ranks.end(), r) != ranks.end(); };
        for (int trial = 0; trial < 12; ++trial) {
            int M = trial == 0 ? 1 : pick(1, 50), P = trial == 1 ? 1 : pick(1, 6);
            int hkv = pick(1, 2), group = pick(1, 2), B = pick(1, 2);
            std::string shape = "M=" + std::to_string(M) + ",P=" + std::to_string(P) + ",E=" + std::to_string(pick(1, 5)) +
                                ",F=" + std::to_string(pick(1, 5)) + ",B=" + std::to_string(B) + ",H=" + std::to_string(hkv * group);
            if (has_rank("HKV")) shape += ",HKV=" + std::to_string(hkv);
            if (has_rank("M0")) shape += ",M0=" + std::to_string(pick(1, 9));
            if (has_rank("S")) shape += ",S=" + std::to_string(pick(1, 5));
            if (has_rank("C")) shape += ",C=" + std::to_string(pick(1, 12));
            Shape s = resolve_shape(c, parse_shape_binding(shape));
            AttentionCheck r = check_attention(c, s, InputSpec{static_cast<std::uint64_t>(trial + 1), 0.0});
            INFO(name << " " << s.str());
            CHECK(r.max_rel_error < 1e-9);
            ++checked;
        }
    }
    CHECK(checked == 84);
}

TEST_CASE("DeltaLLM is exact at threshold 0 and its error grows with the threshold") {
    Cascade c = workloads::load_cascade("deltallm");
    double previous = -1;
    for (double theta : {0.0, 0.02, 0.05, 0.1, 0.2, 0.4}) {
        Shape s = resolve_shape(c, parse_shape_binding("M=32,P=32,E=8,F=4,W=4,theta=" + std::to_string(theta)));
        AttentionCheck r = check_attention(c, s, InputSpec{7, 0.95});
        INFO("theta " << theta << " error " << r.max_rel_error);
        if (theta == 0.0) CHECK(r.max_rel_error < 1e-12);
        else CHECK(r.max_rel_error > previous);
        previous = r.max_rel_error;
    }
    // A window that covers every key makes any threshold exact.
    Shape all = resolve_shape(c, parse_shape_binding("M=16,P=16,E=4,F=4,W=16,theta=0.5"));
    CHECK(check_attention(c, all, InputSpec{3, 0.9}).max_rel_error < 1e-12);
}

TEST_CASE("a shape too large for the evaluator is refused before any input is allocated") {
    Cascade c = workloads::load_cascade("fusemax");
    // 64 x 2e9 x 2e9 elements: the count itself passes 2^63.
    Shape s = resolve_shape(c, parse_shape_binding("M=2000000000,P=2000000000,E=64,F=64"));
    try {
        random_attention_inputs(c, s, InputSpec{});
        FAIL("expected an error");
    } catch (const InputError& e) {
        CHECK(e.where().file == c.file);
        CHECK(std::string(e.what()).find("the reference evaluator is for small shapes") != std::string::npos);
        CHECK(std::string(e.what()).find("needs more than 2^63 tensor elements") != std::string::npos);
    }
    Shape big = resolve_shape(c, parse_shape_binding("M=100000000,P=100000000,E=64,F=64"));
    CHECK_THROWS_AS(check_attention(c, big, InputSpec{}), InputError);
    CHECK_NOTHROW(check_evaluator_size(c, resolve_shape(c, parse_shape_binding("M=64,P=8,E=8,F=8"))));
}
