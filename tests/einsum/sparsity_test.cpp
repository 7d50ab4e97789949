#include <doctest/doctest.h>

#include "einsum/attention_check.h"
#include "einsum/evaluator.h"
#include "einsum/sparsity.h"
#include "workloads/library.h"

using namespace einsum;

TEST_CASE("delta tensors are the thresholded operands of contractions") {
    CHECK(delta_tensors(workloads::load_cascade("deltallm")) == std::vector<std::string>{"DQ"});
    CHECK(delta_tensors(workloads::load_cascade("deltallm_decode")) == std::vector<std::string>{"DQ"});
    for (const char* dense : {"attention_2pass", "fusemax", "flashdecoding"}) CHECK(delta_tensors(workloads::load_cascade(dense)).empty());
}

TEST_CASE("blocks are skipped only when every element is zero") {
    Cascade c = workloads::load_cascade("deltallm");
    // E = 4, one query: deltas (0, 0, 0, 1.5) against a zero reference with theta 1: q = (0.5, -0.9, 0.2, 1.5).
    Shape s = resolve_shape(c, parse_shape_binding("M=3,P=1,E=4,F=1,W=0,theta=1"));
    Tensor q({1, 1, 4, 1}), k({1, 1, 4, 3}, 1.0), v({1, 1, 1, 3}, 1.0);
    q.data = {0.5, -0.9, 0.2, 1.5};
    TensorMap t = evaluate(c, s, {{"Q", q}, {"K", k}, {"V", v}});
    // The query sits at position 2; with W = 0 keys 0..2 are outside the window: key 2 leaves it
    // (scored with QR: 4 MACs), keys 0-1 take 2 x 4 MACs of DS, three channels zero. SN·V adds 3.
    SparsityStats one = measure_sparsity(c, s, t, 1);
    CHECK(one.sparsity() == doctest::Approx(0.75));
    CHECK(one.block_sparsity() == doctest::Approx(0.75));
    CHECK(one.macs == 15);
    CHECK(one.skipped_macs == 6 + 3); // DS's zeros, and QR's zero channels in the leaving key's product
    SparsityStats two = measure_sparsity(c, s, t, 2);
    CHECK(two.deltas[0].blocks == 2);
    CHECK(two.deltas[0].zero_blocks == 1); // (0, 0) is zero, (0, 1.5) is not
    SparsityStats three = measure_sparsity(c, s, t, 3);
    CHECK(three.deltas[0].blocks == 2);      // (0, 0, 0) and the short (1.5)
    CHECK(three.block_sparsity() == doctest::Approx(0.5));
    CHECK(measure_sparsity(c, s, t, 4).block_sparsity() == 0.0);
    CHECK_THROWS_AS(measure_sparsity(c, s, t, 0), InputError);
}

TEST_CASE("dense cascades skip nothing and stats add up across runs") {
    Cascade c = workloads::load_cascade("attention_2pass");
    Shape s = resolve_shape(c, parse_shape_binding("M=6,P=3,E=2,F=2"));
    TensorMap t = evaluate(c, s, random_attention_inputs(c, s, InputSpec{}));
    SparsityStats st = measure_sparsity(c, s, t);
    CHECK(st.macs == 6 * 3 * 2 * 2);
    CHECK(st.skipped_macs == 0);
    CHECK(st.sparsity() == 0.0);
    SparsityStats a, b;
    a.deltas = {{"DQ", 10, 4, 10, 4}};
    a.macs = 100;
    a.skipped_macs = 20;
    b.deltas = {{"DQ", 10, 6, 10, 6}, {"DK", 5, 5, 5, 5}};
    b.macs = 50;
    b.skipped_macs = 10;
    a += b;
    CHECK(a.delta_elements() == 25);
    CHECK(a.delta_zeros() == 15);
    CHECK(a.mac_skip_fraction() == doctest::Approx(0.2));
}
