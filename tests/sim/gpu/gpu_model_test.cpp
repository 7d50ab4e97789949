#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "decode_problem.h"
#include "einsum/input_error.h"
#include "mappings/gpu_legality.h"
#include "mappings/gpu_policies.h"
#include "sim/gpu/gpu_model.h"
#include "sim/gpu/kernel_plan.h"
#include "sim/gpu/sm_simulator.h"

using namespace mappings;
using namespace sim::gpu;

namespace {

GpuMapping one_per_sm(long long tile_q, long long tile_kv) {
    GpuMapping m;
    m.decomposition = Decomposition::data_parallel;
    m.tile_q = tile_q, m.tile_kv = tile_kv, m.warps = 4, m.stages = 1, m.ctas_per_sm = 1;
    return m;
}

double phase_sum(const GpuResult& r) {
    double s = 0;
    for (const auto& p : r.phases) s += p.time_us;
    return s;
}

} // namespace

TEST_CASE("one latency-bound CTA, counted by hand from the preset") {
    const arch::GpuArch g = gpu_preset("h100");
    // One head, 64 tiles of 128 keys x (128 + 128) features x 2 bytes = 64 KiB a tile, 16 KiB for each
    // of the 4 warps. With one K or V block in flight (one stage) a tile's loads take two memory
    // latencies plus its transfer over the SM's share of the L2 fabric; each warp's chain through the
    // tile takes warp_tile_chain_cycles + 16 x warp_chain_cycles_per_kib; the longer of the two sets
    // the pace, and the padded 64-row MMAs (0.56 us), exponentials and ALU work (0.42 us) hide under
    // it. Q and the first tile arrive behind one memory latency and one chain step before the loop.
    GpuResult r = simulate_gpu(decode_problem(1, 1, 1, 128, 64 * 128), one_per_sm(64, 128), g);
    const double L_us = g.overheads.dram_latency_ns * 1e-3;
    const double fill = g.l2.bandwidth_bytes_per_cycle * g.boost_clock_mhz * 1e6 / double(g.sm_count); // bytes/s per SM
    const double load_us = 2 * L_us + 65536.0 / fill * 1e6;
    const double chain_us = (g.sm.warp_tile_chain_cycles + 16 * g.sm.warp_chain_cycles_per_kib) / g.boost_clock_mhz;
    REQUIRE(std::min(chain_us, load_us) > 1.0);  // both above the 0.98 us of compute
    const double pace_us = std::max(chain_us, load_us);
    // The fill: Q and the first tile behind one latency, and no sooner than one step of the chain.
    const double fill_us = L_us + (256.0 + 65536.0) / fill * 1e6 + chain_us, out_us = L_us + 256.0 / fill * 1e6;
    const double expected = g.overheads.launch_latency_us + g.overheads.cta_start_ns * 1e-3 + fill_us + 64 * pace_us + out_us;
    CHECK(r.time_us == doctest::Approx(expected).epsilon(1e-9));
    CHECK(r.binding == (chain_us > load_us ? "warp_chain" : "memory_latency"));
    CHECK(r.kernels.size() == 1);
    CHECK(r.grid_ctas == 1);
    CHECK(phase_sum(r) == doctest::Approx(r.time_us));
}

TEST_CASE("a CTA of more warps than schedulers: its warps issue their per-KiB chain work in turn") {
    const arch::GpuArch g = gpu_preset("h100");
    REQUIRE(g.sm.warp_schedulers == 4);
    // The tiles above for a 16-row CTA of 8 warps: 8 KiB of each 64 KiB tile a warp, two warps a scheduler. Each
    // warp's own chain is warp_tile_chain_cycles + 8 x warp_chain_cycles_per_kib (what the fill
    // waits for); the tile step, with the scheduler's two warps issuing their per-KiB work in turn,
    // warp_tile_chain_cycles + 2 x 8 x warp_chain_cycles_per_kib: the same pace as 4 warps of 16 KiB.
    GpuMapping m = one_per_sm(16, 128);
    m.warps = 8, m.warps_kv = 8;  // einsim-gpu's decode CTA: 16 rows, the warps side by side along the keys
    m.stages = 4;                 // loads enough in flight that the chain sets the pace
    GpuResult r = simulate_gpu(decode_problem(1, 1, 1, 128, 64 * 128), m, g);
    const double L_us = g.overheads.dram_latency_ns * 1e-3;
    const double fill = g.l2.bandwidth_bytes_per_cycle * g.boost_clock_mhz * 1e6 / double(g.sm_count);
    const double load_us = (2 * L_us + 65536.0 / fill * 1e6) / 4;
    const double warp_us = (g.sm.warp_tile_chain_cycles + 8 * g.sm.warp_chain_cycles_per_kib) / g.boost_clock_mhz;
    const double step_us = (g.sm.warp_tile_chain_cycles + 2 * 8 * g.sm.warp_chain_cycles_per_kib) / g.boost_clock_mhz;
    REQUIRE(step_us > load_us);
    const double fill_us = L_us + (256.0 + 65536.0) / fill * 1e6 + warp_us, out_us = L_us + 256.0 / fill * 1e6;
    // The 8 warps' states (1 valid row of 128 fp32 each, written and read back) merge in one chain step.
    const double merge_us = (g.sm.warp_tile_chain_cycles + 2.0 * 128 * 4 / 1024 * g.sm.warp_chain_cycles_per_kib) / g.boost_clock_mhz;
    const double expected =
        g.overheads.launch_latency_us + g.overheads.cta_start_ns * 1e-3 + fill_us + 64 * step_us + merge_us + out_us;
    CHECK(r.time_us == doctest::Approx(expected).epsilon(1e-9));
    CHECK(r.binding == "warp_chain");
}

TEST_CASE("wave quantization: 133 equal CTAs on 132 SMs take two waves, twice as long as 132") {
    const arch::GpuArch g = gpu_preset("h100");
    REQUIRE(g.sm_count == 132);
    // Head dimension 64: each CTA pulls about 20 GB/s, so 132 of them stay under the copy bandwidth and
    // every CTA takes the same time whether the others run or not.
    GpuResult one = simulate_gpu(decode_problem(1, 132, 132, 64, 8192), one_per_sm(64, 128), g);
    GpuResult two = simulate_gpu(decode_problem(1, 133, 133, 64, 8192), one_per_sm(64, 128), g);
    CHECK(one.kernels[0].waves == 1);
    CHECK(two.kernels[0].waves == 2);
    REQUIRE(two.waves.size() == 2);
    CHECK(two.waves[0].ctas == 132);
    CHECK(two.waves[1].ctas == 1);
    CHECK(two.waves[1].start_us == doctest::Approx(two.waves[0].end_us).epsilon(1e-6));
    CHECK(two.kernels[0].span_us == doctest::Approx(2 * one.kernels[0].span_us).epsilon(1e-6));
    // The second wave keeps one SM busy: about half the SM-time of the kernel is idle.
    CHECK(two.kernels[0].sm_busy_fraction == doctest::Approx((132.0 + 1.0) / (2.0 * 132.0)).epsilon(1e-3));
}

TEST_CASE("stream-K spreads any batch x heads evenly; data-parallel leaves SMs idle") {
    const arch::GpuArch g = gpu_preset("a100");
    AttentionProblem p = decode_problem(1, 8, 8, 128, 256 * 1024);
    GpuResult fa2 = simulate_gpu(p, fa2_mapping(p), g);
    GpuResult la = simulate_gpu(p, leanattention_mapping(p, g), g);
    CHECK(fa2.grid_ctas == 8);
    CHECK(fa2.sm_busy_fraction <= 8.0 / 108.0 + 1e-9);
    CHECK(fa2.binding != "hbm_bandwidth");
    CHECK(la.grid_ctas == la.ctas_per_sm * g.sm_count);
    CHECK(la.sm_busy_fraction > 0.95);
    CHECK(la.binding == "hbm_bandwidth");
    CHECK(la.copy_fraction > 0.9);
    CHECK(la.copy_fraction <= 1.0);
    CHECK(la.phase_us("flag_wait") + la.phase_us("reduction") + la.phase_us("partial_store") > 0);
    CHECK(fa2.time_us / la.time_us > 5);
}

TEST_CASE("split-K runs a combine kernel only when it splits") {
    const arch::GpuArch g = gpu_preset("h100");
    AttentionProblem p = decode_problem(1, 32, 32, 128, 4096);
    GpuResult four = simulate_gpu(p, flashdecoding_mapping(p, g, 4), g);
    REQUIRE(four.kernels.size() == 2);
    CHECK(four.kernels[1].name == "combine");
    CHECK(four.kernels[0].ctas == 32 * 4);
    CHECK(four.splits == 4);
    CHECK(four.phase_us("launch") == doctest::Approx(2 * g.overheads.launch_latency_us));
    GpuResult one = simulate_gpu(p, flashdecoding_mapping(p, g, 1), g);
    CHECK(one.kernels.size() == 1);
}

TEST_CASE("properties over random decode shapes: bandwidth below the copy bandwidth, time grows with context, phases add up") {
    const arch::GpuArch g = gpu_preset("h100");
    std::mt19937_64 rng(5);
    for (int trial = 0; trial < 40; ++trial) {
        const long long B = 1 + long(rng() % 8), Hkv = std::vector<long long>{1, 2, 4, 8, 32}[rng() % 5];
        const long long H = Hkv * std::vector<long long>{1, 2, 4, 8}[rng() % 4], E = rng() % 2 ? 64 : 128;
        const long long M = 256 + long(rng() % 20000);
        for (const char* policy : {"fa2", "sdpa", "flashdecoding", "leanattention"}) {
            AttentionProblem p = decode_problem(B, H, Hkv, E, M);
            AttentionProblem longer = decode_problem(B, H, Hkv, E, 2 * M);
            INFO(policy << " " << p.str());
            const GpuMapping m = gpu_policy(policy, p, g);
            GpuResult r = simulate_gpu(p, m, g);
            // The same mapping over twice the keys: the libraries' own choices for the longer context
            // may differ (FlashAttention-2's split heuristic can pick 33 one-tile splits at 8K and 8 at
            // 16K, so its 8K decode is the slower one), so the property is for one mapping.
            GpuResult r2 = simulate_gpu(longer, m, g);
            CHECK(r.copy_fraction <= 1.0 + 1e-9);
            CHECK(r.time_us > g.overheads.launch_latency_us);
            CHECK(phase_sum(r) == doctest::Approx(r.time_us).epsilon(1e-9));
            CHECK(r2.time_us > r.time_us);
            CHECK(r.hbm_read_bytes >= double(p.kv_bytes()) * 0.999);
        }
    }
}

TEST_CASE("while HBM is saturated, a round trip waits behind the bytes the streaming CTAs have in flight") {
    const arch::GpuArch g = gpu_preset("h200");
    // n streaming CTAs, one an SM, each with 2 tiles of 64 KiB in flight (stages 2, one load a tile)
    // and 1000 to go; one more CTA on SM 0 works 1 ns, then stores with one round trip.
    auto store_s = [&](int streamers) {
        KernelPlan k;
        TileWork t;
        t.bytes = t.hbm_bytes = 65536;
        t.loads = 1, t.stages = 2;
        k.tiles = {t};
        k.ctas_per_sm = 2;
        Phase start, stream, work, store;
        start.kind = PhaseKind::start;
        stream.kind = PhaseKind::stream, stream.tiles = 1000;
        work.kind = PhaseKind::reduce, work.work_s = 1e-9;
        store.kind = PhaseKind::store_output, store.round_trips = 1;
        k.ctas.assign(std::size_t(g.sm_count), CtaPlan{{start, stream}});
        k.ctas.resize(std::size_t(streamers));
        k.ctas.push_back(CtaPlan{{start, work, store}});
        // The prober must be the second CTA on SM 0: the first round puts one CTA on each SM.
        if (streamers < g.sm_count)
            for (std::int64_t i = streamers; i < g.sm_count; ++i) k.ctas.insert(k.ctas.end() - 1, CtaPlan{{start}});
        return run_kernel(k, g).cta_seconds.at("output_store");
    };
    const double latency_s = g.overheads.dram_latency_ns * 1e-9, hbm = g.hbm.read_bandwidth_gb_per_s * 1e9;
    // All SMs streaming ask for more than HBM gives (each SM's load path alone moves ~77 GB/s):
    // the store's round trip waits behind 132 x 2 x 64 KiB.
    CHECK(store_s(int(g.sm_count)) == doctest::Approx(latency_s + double(g.sm_count) * 2 * 65536 / hbm).epsilon(1e-9));
    // Ten streaming CTAs leave HBM below its rate: no queue, the idle latency.
    CHECK(store_s(10) == doctest::Approx(latency_s).epsilon(1e-9));
}

TEST_CASE("a long uniform grid is extrapolated from a few waves without changing the answer") {
    const arch::GpuArch g = gpu_preset("h100");
    AttentionProblem p = decode_problem(4, 32, 32, 128, 2048);
    p.P = 16384; // prefill-sized: 4 x 32 x 128 = 16384 CTAs of 128 query rows, 62 waves of 264
    GpuMapping m = fa2_mapping(p);
    LaunchPlan plan = plan_launch(p, m, g);
    KernelPlan uniform = plan.kernels[0];
    REQUIRE(uniform.repeat == 16384);
    KernelPlan explicit_grid = uniform;
    explicit_grid.repeat = 0;
    explicit_grid.ctas.assign(16384, uniform.ctas[0]);
    KernelRun fast = run_kernel(uniform, g), full = run_kernel(explicit_grid, g);
    CHECK(fast.extrapolated);
    CHECK(!full.extrapolated);
    CHECK(fast.span_s == doctest::Approx(full.span_s).epsilon(0.01));
}

TEST_CASE("illegal GPU mappings are rejected with the reason") {
    const arch::GpuArch g = gpu_preset("a100");
    AttentionProblem p = decode_problem(1, 32, 32, 256, 4096);
    GpuMapping big = one_per_sm(128, 256);
    big.stages = 4;
    auto v = gpu_violations(big, p, g);
    REQUIRE(!v.empty());
    CHECK(v[0].find("shared memory") != std::string::npos);
    CHECK_THROWS_AS(simulate_gpu(p, big, g), einsum::InputError);

    AttentionProblem q = decode_problem(1, 32, 32, 128, 4096);
    GpuMapping sk = leanattention_mapping(q, g);
    sk.ctas_per_sm = 0;
    sk.grid_ctas = 10 * g.sm_count;
    v = gpu_violations(sk, q, g);
    REQUIRE(v.size() == 1);
    CHECK(v[0].find("deadlock") != std::string::npos);

    GpuMapping many = flashdecoding_mapping(q, g, 33); // 4096 keys are 32 tiles of 128
    v = gpu_violations(many, q, g);
    REQUIRE(v.size() == 1);
    CHECK(v[0].find("splits = 33") != std::string::npos);

    GpuMapping narrow = one_per_sm(32, 64); // 4 warps need 64 rows
    CHECK(gpu_violations(narrow, q, g).at(0).find("fewer than 16 query rows") != std::string::npos);
}

TEST_CASE("occupancy: FA-2's 128x64 tile for d = 128 fits two CTAs per SM, limited by registers or shared memory") {
    GpuResources a = gpu_resources(fa2_mapping(decode_problem(1, 1, 1, 128, 1)), decode_problem(1, 1, 1, 128, 1), gpu_preset("a100"));
    CHECK(a.shared_memory_bytes == 2 * (128 * 128 + 64 * 256)); // Q tile + one K/V set: 64 KiB
    CHECK(a.registers_per_thread == 232);                       // (128 x 128 + 128 x 64) / 128 + 40
    CHECK(a.ctas_per_sm == 2);
}

TEST_CASE("einsim-gpu's combine folds like its batched fold: per chunk of 16, one round trip for the maxima and sums and one a float4") {
    const arch::GpuArch g = gpu_preset("h200");
    auto reduce_of = [&](const AttentionProblem& p, long long splits) {
        GpuMapping m;
        m.decomposition = Decomposition::split_k;
        m.splits = splits;
        // As einsim-gpu runs decode (cli runner_mapping): 16 rows a CTA, the 4 warps along the keys,
        // the G query heads of a KV head packed into the rows, one 128-thread combine CTA a row block.
        m.tile_q = 16, m.tile_kv = 64, m.warps = 4, m.warps_kv = 4, m.stages = 2, m.ctas_per_sm = 1;
        m.gqa_pack = p.H > p.Hkv;
        m.combine_rows = 16;
        LaunchPlan plan = plan_launch(p, m, g);
        REQUIRE(plan.kernels.size() == 2);
        REQUIRE(plan.kernels[1].name == "combine");
        for (const Phase& ph : plan.kernels[1].ctas.at(0).phases)
            if (ph.kind == PhaseKind::reduce) return ph;
        FAIL("no reduce phase");
        return Phase{};
    };
    const double step_s = g.sm.warp_tile_chain_cycles / (g.boost_clock_mhz * 1e6);
    // 64/8 heads: 8 valid rows of 128 floats = 256 float4s, 2 a thread; 20 splits = chunks of 16 and 4.
    Phase gqa = reduce_of(decode_problem(1, 64, 8, 128, 4096), 20);
    CHECK(gqa.round_trips == doctest::Approx(2 * (1 + 2)));
    CHECK(gqa.work_s == doctest::Approx(2 * step_s));
    // 32/32 heads: one row, 32 float4s, one a thread; 16 splits = one chunk.
    Phase mha = reduce_of(decode_problem(1, 32, 32, 128, 4096), 16);
    CHECK(mha.round_trips == doctest::Approx(1 + 1));
    CHECK(mha.work_s == doctest::Approx(step_s));
}
