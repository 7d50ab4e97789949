// The stream-K grid sizes the mapper times (sim/gpu/gpu_mapper.h): which grids are candidates, and
// that the one it keeps is the fastest of them by the model.
#include <doctest/doctest.h>

#include <algorithm>

#include "decode_problem.h"
#include "mappings/gpu_legality.h"
#include "mappings/gpu_policies.h"
#include "sim/gpu/gpu_mapper.h"
#include "sim/gpu/gpu_model.h"

using namespace mappings;
using namespace sim::gpu;

namespace {

// einsim-gpu's decode mapping: 16 query rows (a GQA group packed), 64-key tiles, 4 warps along keys,
// the next K and V tiles in flight.
GpuMapping runner_stream_k(long long tile_kv, long long ctas_per_sm) {
    GpuMapping m;
    m.decomposition = Decomposition::stream_k;
    m.tile_q = 16, m.tile_kv = tile_kv, m.warps = 4, m.warps_kv = 4, m.stages = 2, m.gqa_pack = true, m.ctas_per_sm = ctas_per_sm;
    return m;
}

} // namespace

TEST_CASE("stream-K grid candidates: every slot, LeanAttention's grid, and the grids under which no CTA straddles two row blocks") {
    const arch::GpuArch g = gpu_preset("h200");
    // B = 16, 64/8 heads, 1K: 128 row blocks (GQA packed) of 16 tiles, 264 slots at 2 CTAs an SM.
    const AttentionProblem p = decode_problem(16, 64, 8, 128, 1024);
    const GpuMapping m = runner_stream_k(64, 2);
    const std::vector<std::int64_t> c = stream_k_grid_candidates(p, m, g);
    REQUIRE(!c.empty());
    CHECK(std::is_sorted(c.begin(), c.end()));
    CHECK(std::count(c.begin(), c.end(), 264) == 1);                              // every slot
    CHECK(std::count(c.begin(), c.end(), leanattention_grid(p, m, g)) == 1);  // LeanAttention's
    // Aligned: 128 x k for k | 16 within 264 slots (128, 256), and 128 / j for j | 128 (64, 32, ..., 1).
    for (std::int64_t a : {1, 2, 4, 8, 16, 32, 64, 128, 256}) CHECK(std::count(c.begin(), c.end(), a) == 1);
    const std::int64_t total = 128 * 16;
    for (std::int64_t x : c) {
        CHECK(x >= 1);
        CHECK(x <= 264);
        if (x == 264 || x == leanattention_grid(p, m, g)) continue;
        REQUIRE(total % x == 0);
        const std::int64_t per_cta = total / x;
        CHECK((16 % per_cta == 0 || per_cta % 16 == 0));
    }
}

TEST_CASE("the mapper's stream-K grid is the candidate the model times fastest") {
    const arch::GpuArch g = gpu_preset("h200");
    for (const AttentionProblem& p : {decode_problem(16, 64, 8, 128, 1024), decode_problem(1, 32, 32, 128, 8192), decode_problem(4, 64, 8, 64, 32768)}) {
        const GpuMapping m = runner_stream_k(64, 2);
        INFO(p.str());
        REQUIRE(gpu_violations(m, p, g).empty());
        const std::optional<StreamKGrid> best = fastest_stream_k_grid(p, m, g);
        REQUIRE(best);
        const std::vector<std::int64_t> c = stream_k_grid_candidates(p, m, g);
        CHECK(std::count(c.begin(), c.end(), best->grid_ctas) == 1);
        GpuMapping k = m;
        k.grid_ctas = best->grid_ctas;
        k.cluster = best->cluster;
        CHECK(simulate_gpu(p, k, g).time_us == doctest::Approx(best->time_us));
        // Every candidate, unclustered and (where legal) clustered, is no faster.
        for (std::int64_t x : c) {
            k.grid_ctas = x;
            k.cluster = 0;
            CHECK(simulate_gpu(p, k, g).time_us >= best->time_us);
            k.cluster = stream_k_cluster_for_grid(p, m, x);
            if (k.cluster > 0 && gpu_violations(k, p, g).empty()) CHECK(simulate_gpu(p, k, g).time_us >= best->time_us);
        }
        // Without clusters the pick is unclustered.
        const std::optional<StreamKGrid> plain = fastest_stream_k_grid(p, m, g, false);
        REQUIRE(plain);
        CHECK(plain->cluster == 0);
    }
    // The map search times the same candidates: its stream-K pick is no slower than the full grid's.
    const AttentionProblem p = decode_problem(16, 64, 8, 128, 1024);
    MapperOptions only;
    only.only = Decomposition::stream_k;
    const MapperChoice choice = map_gpu(p, g, only);
    GpuMapping full = choice.mapping;
    full.grid_ctas = 0;
    full.cluster = 0;
    CHECK(choice.result.time_us <= simulate_gpu(p, full, g).time_us);
}

TEST_CASE("map_gpu and gpu-jobs pick the same stream-K grid, ties included") {
    // map_gpu's grid stage is fastest_stream_k_grid run on its best stream-K tile shape, so the two
    // agree on grid and cluster, and the count of timed mappings includes the grids timed.
    const arch::GpuArch g = gpu_preset("h200");
    MapperOptions only;
    only.only = Decomposition::stream_k;
    for (std::int64_t b : {1, 4, 16})
        for (std::int64_t e : {64, 128})
            for (std::int64_t m : {1024, 4096, 65536}) {
                const AttentionProblem p = decode_problem(b, 64, 8, e, m);
                INFO(p.str());
                const MapperChoice choice = map_gpu(p, g, only);
                GpuMapping shape = choice.mapping;
                shape.grid_ctas = 0;
                shape.cluster = 0;
                const std::optional<StreamKGrid> pick = fastest_stream_k_grid(p, shape, g);
                REQUIRE(pick);
                CHECK(choice.mapping.grid_ctas == pick->grid_ctas);
                CHECK(choice.mapping.cluster == pick->cluster);
                CHECK(choice.result.time_us == doctest::Approx(pick->time_us));
                CHECK(pick->evaluated >= 1);
                CHECK(choice.evaluated > pick->evaluated);
            }
}
