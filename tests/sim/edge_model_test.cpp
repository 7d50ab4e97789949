#include <doctest/doctest.h>

#include <cmath>

#include "arch/load.h"
#include "sim/edge/edge_model.h"
#include "workloads/library.h"

using namespace sim;

namespace {

// One unit at 1 MHz: 1 FP16 MAC, 1 exp per cycle; an 8-byte L1; DRAM at 1 byte per cycle.
arch::EdgeArch tiny_edge() {
    arch::EdgeArch a;
    a.clock_mhz = 1;
    a.compute = {1, 2, 1, 1};
    a.memory = {{"l1", 8, true, 64, 1, 1}};
    a.dram.bandwidth_gb_per_s = 0.001;
    a.energy = {2, 1, 2, 10, 20, 0};
    a.sparsity = {1, 1, 0.5, 3};
    return a;
}

EdgeWorkload tiny_workload() {
    EdgeWorkload w;
    w.heads = w.kv_heads = 1;
    w.head_dim = w.value_dim = 2;
    w.prefill_tokens = 4;
    w.decode_context = 4;
    w.window = 1;
    return w;
}

} // namespace

TEST_CASE("the edge model on a case counted by hand") {
    EdgeResult r = simulate_edge(tiny_edge(), "tiny", tiny_workload(), {0.5, std::nullopt, "given"});
    CHECK(r.block_skip_probability == 0.5);

    // Prefill of 4 tokens: 10 causal pairs, 6 outside a 1-key window (0 + 1 + 2 + 3).
    const EdgeCost& pd = r.prefill.dense;
    CHECK(pd.macs == 40);        // (E + F) x 10
    CHECK(pd.exps == 10);
    CHECK(pd.vector_ops == 38);  // 3 per pair + F per output row
    // K/V (32 bytes) do not fit half the 8-byte L1, and not even one row of Q and output (8 bytes)
    // does: K/V stream once per query row, 4 x 32 bytes, plus Q (16).
    CHECK(pd.kv_read_bytes == 128);
    CHECK(pd.dram_read_bytes == 144);
    CHECK(pd.dram_write_bytes == 48); // outputs 16 + K/V appended 32
    CHECK(pd.compute_cycles == 88);
    CHECK(pd.cycles == 192);
    CHECK(pd.bound == "dram");
    CHECK(pd.time_s == doctest::Approx(192e-6));
    CHECK(pd.energy_pj == doctest::Approx(98 + 384 + 2400)); // compute, staging 192 B x 2 pJ, DRAM

    const EdgeCost& px = r.prefill.delta;
    // Queries 1..3 each score the key leaving the window with QR (dense); the 3 older pairs
    // (0 + 0 + 1 + 2) go through ΔQ·K and half their MACs are skipped.
    CHECK(px.skipped_macs == 3);  // E x 3 older pairs x 0.5
    CHECK(px.macs == 37);
    CHECK(px.vector_ops == 68);   // + 3 E per query (ΔQ) + 1 per outside pair
    // Key tiles of 2 keys: queries with 1 and 2 older keys make one pass each, gathering the kept
    // half of the query's 2 delta elements: 2 x 0.5 x 2.
    CHECK(px.kept_elements == 2);
    CHECK(px.overhead_cycles == 1);
    CHECK(px.index_bytes == 2);
    CHECK(px.state_bytes == 20);  // the last score row (4 x 4 bytes) and the reference query (2 x 2)
    CHECK(px.dram_write_bytes == 68);
    CHECK(px.compute_cycles == 115);
    CHECK(px.cycles == 212);
    CHECK(px.energy_pj == doctest::Approx(125 + 6 + (212 * 2 + 2) + (1440 + 68 * 20))); // + overhead 2 x 3 pJ, index reads
    CHECK_FALSE(r.prefill.pays()); // on 2-channel heads the state costs more than the skipped work

    // One decode step at context 4: key 3 new and in the window, key 2 leaving it, keys 0-1 older.
    const EdgeCost& dd = r.decode.dense;
    CHECK(dd.macs == 16);
    CHECK(dd.dram_read_bytes == 36);  // q 4 + K/V 32
    CHECK(dd.dram_write_bytes == 12); // output 4 + new k, v 8
    CHECK(dd.cycles == 48);
    const EdgeCost& dx = r.decode.delta;
    CHECK(dx.macs == 14);             // 2 older keys x E x 0.5 skipped
    CHECK(dx.kv_read_bytes == 28);    // K: 2 exact keys x 4 B + 2 older x 4 B x 0.5; V 16
    CHECK(dx.state_bytes == 32);      // read 2 scores + q ref (12), write 4 scores + q ref (20)
    CHECK(dx.dram_read_bytes == 44);
    CHECK(dx.cycles == 76);
    CHECK(r.decode.speedup() == doctest::Approx(48.0 / 76.0));
}

TEST_CASE("blocks are all zero with probability s^G") {
    CHECK(block_skip_probability(0.6, 1) == doctest::Approx(0.6));
    CHECK(block_skip_probability(0.6, 4) == doctest::Approx(0.1296));
    CHECK(block_skip_probability(0.6, 16) < 0.003);
    CHECK(block_skip_probability(1.0, 16) == 1.0);
    CHECK(block_skip_probability(0.0, 1) == 0.0);
}

TEST_CASE("sparsity pays at fine granularity and stops paying when blocks are coarse or too few deltas are zero") {
    arch::EdgeArch cpu = *arch::load_preset("edge-cpu", workloads::data_dir()).edge();
    EdgeWorkload w;
    w.heads = w.kv_heads = 8;
    w.head_dim = w.value_dim = 64;
    w.prefill_tokens = w.decode_context = 1024;
    w.window = 16;
    cpu.sparsity.block_elements = 1;
    EdgeResult fine = simulate_edge(cpu, "edge-cpu", w, {0.6, std::nullopt, "given"});
    CHECK(fine.prefill.pays());
    CHECK(fine.decode.pays());
    CHECK(fine.prefill.speedup() > 1.2);
    cpu.sparsity.block_elements = 16;
    EdgeResult coarse = simulate_edge(cpu, "edge-cpu", w, {0.6, std::nullopt, "given"});
    CHECK_FALSE(coarse.prefill.pays());
    CHECK_FALSE(coarse.decode.pays());
    // A measured block-skip probability overrides the independence model.
    EdgeResult clustered = simulate_edge(cpu, "edge-cpu", w, {0.6, 0.5, "measured"});
    CHECK(clustered.block_skip_probability == 0.5);
    CHECK(clustered.prefill.speedup() > coarse.prefill.speedup());
    cpu.sparsity.block_elements = 1;
    EdgeResult little = simulate_edge(cpu, "edge-cpu", w, {0.01, std::nullopt, "given"});
    CHECK_FALSE(little.decode.pays());
    // The gain grows with sparsity.
    double previous = 0;
    for (double s : {0.2, 0.4, 0.6, 0.8}) {
        double speedup = simulate_edge(cpu, "edge-cpu", w, {s, std::nullopt, "given"}).decode.speedup();
        CHECK(speedup > previous);
        previous = speedup;
    }
}

TEST_CASE("grouped-query attention shares K rows: a block is read unless every head of the group skips it") {
    arch::EdgeArch npu = *arch::load_preset("edge-npu", workloads::data_dir()).edge();
    npu.sparsity.block_elements = 1;
    EdgeWorkload w;
    w.heads = 32;
    w.kv_heads = 8;
    w.head_dim = w.value_dim = 64;
    w.decode_context = 2048;
    w.window = 16;
    EdgeResult r = simulate_edge(npu, "edge-npu", w, {0.6, std::nullopt, "given"});
    CHECK(r.kv_block_skip_probability == doctest::Approx(std::pow(0.6, 4)));
    w.kv_heads = 32;
    EdgeResult mha = simulate_edge(npu, "edge-npu", w, {0.6, std::nullopt, "given"});
    CHECK(mha.decode.speedup() > r.decode.speedup());
}

TEST_CASE("the edge model refuses workloads out of range") {
    EdgeWorkload w = tiny_workload();
    w.kv_heads = 3;
    w.heads = 4;
    CHECK_THROWS_WITH_AS(simulate_edge(tiny_edge(), "tiny", w, {}), doctest::Contains("multiple of kv_heads"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(simulate_edge(tiny_edge(), "tiny", tiny_workload(), {1.5, std::nullopt, "given"}),
                         doctest::Contains("[0, 1]"), std::invalid_argument);
    EdgeWorkload int4 = tiny_workload();
    int4.element_type = "int4";
    CHECK_THROWS_WITH_AS(simulate_edge(tiny_edge(), "tiny", int4, {}), doctest::Contains("int4"), std::invalid_argument);
}
