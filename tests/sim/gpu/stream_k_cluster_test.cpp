// Clustered stream-K in the GPU-SM model: legality (grid, columns, one wave on the GPCs), the plan
// (a push over distributed shared memory, the cluster barrier, a local fold; no partials), the
// GPC placement of clusters, and the time the SM-to-SM round trips add.
#include <doctest/doctest.h>

#include <algorithm>

#include "decode_problem.h"
#include "mappings/gpu_legality.h"
#include "sim/gpu/gpu_mapper.h"
#include "sim/gpu/gpu_model.h"
#include "sim/gpu/kernel_plan.h"
#include "sim/gpu/sm_simulator.h"

using namespace mappings;
using namespace sim::gpu;

namespace {

// einsim-gpu's decode CTA (a GQA group's 16 rows, 64-key tiles over 4 warps along the keys) on a
// grid of `grid` CTAs in clusters of `cluster`.
GpuMapping clustered(long long grid, long long cluster, long long ctas_per_sm = 2) {
    GpuMapping m;
    m.decomposition = Decomposition::stream_k;
    m.tile_q = 16, m.tile_kv = 64, m.warps = 4, m.warps_kv = 4, m.stages = 2, m.gqa_pack = true;
    m.ctas_per_sm = ctas_per_sm, m.grid_ctas = grid, m.cluster = cluster;
    return m;
}

bool mentions(const std::vector<std::string>& v, const std::string& text) {
    return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

} // namespace

TEST_CASE("clustered stream-K legality: the grid, the fold's columns, the GPU and one wave on the GPCs") {
    const arch::GpuArch h200 = gpu_preset("h200");
    // B = 1, 64/8 heads, E = 64, 1K: 8 row blocks (a KV head's 8 query heads packed) of 16 tiles.
    const AttentionProblem p = decode_problem(1, 64, 8, 64, 1024);
    for (long long c : {2, 4, 8}) CHECK(gpu_violations(clustered(8 * c, c), p, h200).empty());
    // 8 clusters of 16: the preset's GPCs hold co_resident(16, 1) < 8 of them one CTA an SM.
    REQUIRE(h200.clusters.co_resident(16, 1) < 8);
    CHECK(mentions(gpu_violations(clustered(128, 16), p, h200), "the 8 clusters of 16 CTAs exceed the"));
    CHECK(mentions(gpu_violations(clustered(8 * 4, 1), p, h200), "must be 0 (no clusters) or at least 2 CTAs"));
    CHECK(mentions(gpu_violations(clustered(40, 4), p, h200), "a grid of 32 CTAs (8 row blocks x 4), not 40"));
    // 3 does not divide the 16 tiles, 32 exceeds the cluster limit.
    CHECK(mentions(gpu_violations(clustered(24, 3), p, h200), "3 must divide a row block's 16 key tiles"));
    CHECK(mentions(gpu_violations(clustered(256, 32), p, h200), "exceeds the 16 CTAs a cluster may have"));
    GpuMapping dp = clustered(0, 4);
    dp.decomposition = Decomposition::data_parallel;
    CHECK(mentions(gpu_violations(dp, p, h200), "cluster applies to stream_k only"));
    CHECK(mentions(gpu_violations(clustered(32, 4), p, gpu_preset("a100")), "this GPU has no thread-block clusters"));
    // E = 40: each CTA folds F / C columns in float4s, so 4 C must divide 40.
    CHECK(mentions(gpu_violations(clustered(32, 4), decode_problem(1, 64, 8, 40, 1024), h200), "4 x 4 must divide F = 40"));
    CHECK(!mentions(gpu_violations(clustered(16, 2), decode_problem(1, 64, 8, 40, 1024), h200), "must divide F"));
    // Every cluster on SMs of its own, even where two CTAs an SM would fit: B = 4, 64/8 heads gives
    // 32 row blocks; clusters of 4 fit one CTA an SM co_resident(4, 1) times on the preset's GPCs.
    const AttentionProblem b4 = decode_problem(4, 64, 8, 64, 1024);
    const long long fit = h200.clusters.co_resident(4, 1);
    REQUIRE(fit < 32);
    REQUIRE(h200.clusters.co_resident(4, 2) >= 32);
    CHECK(mentions(gpu_violations(clustered(128, 4, 2), b4, h200),
                   "the 32 clusters of 4 CTAs exceed the " + std::to_string(fit) + " that the GPCs hold one CTA an SM"));
    CHECK(gpu_violations(clustered(64, 2, 2), b4, h200).empty());
    // The receive buffer counts against shared memory: rows x (F + 4 C) floats.
    const GpuResources plain = gpu_resources(clustered(32, 0), p, h200), with = gpu_resources(clustered(32, 4), p, h200);
    CHECK(with.shared_memory_bytes - plain.shared_memory_bytes == 16 * (64 + 4 * 4) * 4);
}

TEST_CASE("a clustered stream-K plan: push, cluster barrier, local fold, a slice of the output each; no partials") {
    const arch::GpuArch g = gpu_preset("h200");
    const AttentionProblem p = decode_problem(1, 64, 8, 64, 1024);
    const LaunchPlan plan = plan_launch(p, clustered(32, 4), g);
    REQUIRE(plan.kernels.size() == 1);
    const KernelPlan& k = plan.kernels[0];
    CHECK(k.cluster == 4);
    CHECK(k.events == 32);
    REQUIRE(k.ctas.size() == 32);
    const std::vector<PhaseKind> kinds{PhaseKind::start, PhaseKind::load_q, PhaseKind::stream, PhaseKind::merge,
                                       PhaseKind::push,  PhaseKind::wait,   PhaseKind::reduce, PhaseKind::store_output};
    for (std::size_t c = 0; c < k.ctas.size(); ++c) {
        const auto& ph = k.ctas[c].phases;
        REQUIRE(ph.size() == kinds.size());
        for (std::size_t i = 0; i < kinds.size(); ++i) CHECK(ph[i].kind == kinds[i]);
        CHECK(ph[2].tiles == 4);  // 16 tiles over 4 CTAs
        CHECK(ph[4].signal == int(c));
        const int first = int(c / 4 * 4);
        CHECK(ph[5].waits == std::vector<int>{first, first + 1, first + 2, first + 3});
        CHECK(ph[4].round_trips == 0);  // no HBM or L2 round trip: SM to SM
        CHECK(ph[6].round_trips == 0);
        CHECK(ph[7].bytes == 8 * 64 * 2 / 4);  // a quarter of the 8 rows x 64 fp16 outputs
    }
    // Only the outputs are written: 8 row blocks x 8 rows x 64 columns x 2 bytes.
    CHECK(k.hbm_write_bytes == 8 * 8 * 64 * 2);
}

TEST_CASE("clusters are placed on one GPC each, one CTA an SM before any SM takes a second") {
    arch::GpuArch g = gpu_preset("h200");
    g.sm_count = 6;
    g.clusters.gpc_sms = {4, 2};
    // Legality keeps every cluster on SMs of its own; the simulator's placement also covers plans
    // that double up: 8 CTAs that only start, 2 an SM.
    KernelPlan k;
    k.ctas.assign(8, CtaPlan{{Phase{}}});
    k.ctas_per_sm = 2;
    // Clusters of 4: the first takes the 4-SM GPC one CTA an SM; the second fits there again (2 an
    // SM) or on the 2-SM GPC (2 an SM): equal, so the first GPC.
    k.cluster = 4;
    CHECK(run_kernel(k, g).sm_ctas == std::vector<std::int64_t>{2, 2, 2, 2, 0, 0});
    // Clusters of 2: three fit one an SM (two on the first GPC, one on the second), the fourth doubles up.
    k.cluster = 2;
    CHECK(run_kernel(k, g).sm_ctas == std::vector<std::int64_t>{2, 2, 1, 1, 1, 1});
    // Without clusters the block scheduler spreads them: one an SM, then the first two SMs again.
    k.cluster = 0;
    CHECK(run_kernel(k, g).sm_ctas == std::vector<std::int64_t>{2, 2, 1, 1, 1, 1});
    // A cluster no GPC can hold is a plan legality should have refused.
    k.cluster = 8;
    k.ctas_per_sm = 1;
    CHECK_THROWS_AS(run_kernel(k, g), std::logic_error);
}

TEST_CASE("each clustered CTA waits two SM-to-SM round trips: the push's acknowledgement and the barrier") {
    arch::GpuArch g = gpu_preset("h200");
    const AttentionProblem p = decode_problem(1, 64, 8, 64, 1024);
    const double base = simulate_gpu(p, clustered(32, 4), g).time_us;
    g.clusters.dsmem_latency_ns += 50;
    CHECK(simulate_gpu(p, clustered(32, 4), g).time_us - base == doctest::Approx(0.100).epsilon(1e-6));
    // The unclustered grid's tail (partial stores, flags, the host's fold) goes through memory instead.
    g.clusters.dsmem_latency_ns -= 50;
    const double plain = simulate_gpu(p, clustered(32, 0), g).time_us;
    g.overheads.dram_latency_ns += 100;
    const double plain_slow = simulate_gpu(p, clustered(32, 0), g).time_us, clustered_slow = simulate_gpu(p, clustered(32, 4), g).time_us;
    CHECK(plain_slow - plain > clustered_slow - base);
}

TEST_CASE("the stream-K grid search takes a clustered grid only where it is legal and timed faster") {
    const arch::GpuArch g = gpu_preset("h200");
    const GpuMapping m = clustered(0, 0, 1);  // one CTA an SM; the search sets the grid and the clusters
    // B = 1, 64/8 heads, E = 64, 1K: 8 row blocks; clusters of 2..8 fit the GPCs one CTA an SM.
    const AttentionProblem p = decode_problem(1, 64, 8, 64, 1024);
    const auto best = fastest_stream_k_grid(p, m, g), plain = fastest_stream_k_grid(p, m, g, false);
    REQUIRE(best);
    REQUIRE(plain);
    CHECK(best->cluster > 1);
    CHECK(best->grid_ctas == 8 * best->cluster);
    CHECK(best->time_us < plain->time_us);
    // B = 16: 128 row blocks, more clusters than the GPCs hold one CTA an SM at any size: none.
    const AttentionProblem b16 = decode_problem(16, 64, 8, 64, 1024);
    const auto b = fastest_stream_k_grid(b16, m, g), q = fastest_stream_k_grid(b16, m, g, false);
    REQUIRE(b);
    REQUIRE(q);
    CHECK(b->cluster == 0);
    CHECK(b->grid_ctas == q->grid_ctas);
    CHECK(b->time_us == q->time_us);
}
