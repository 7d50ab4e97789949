#include <doctest/doctest.h>

#include <random>

#include "arch/load.h"
#include "arch/set_value.h"
#include "mappings/auto_mapping.h"
#include "mappings/instantiate.h"
#include "mappings/library.h"
#include "mappings/point_cost.h"
#include "sim/analytical/space_cost.h"
#include "sim/spatial.h"
#include "workloads/library.h"
#include "workloads/model.h"

using namespace einsum;

namespace {

struct Case {
    Cascade cascade;
    ShapeBinding shape;
    arch::SpatialArch arch;
    mappings::SearchSpace space;
};

Case make_case(const Cascade& c, const ShapeBinding& b, const arch::SpatialArch& a, const mappings::Mapping& base) {
    Shape s = resolve_shape(c, b);
    return {c, b, a, mappings::make_space(base, mappings::tile_limits(c, s, base))};
}

Case gemm_case() {
    arch::Arch cloud = arch::load_preset("cloud", workloads::data_dir());
    Cascade c = workloads::load_cascade("gemm");
    return make_case(c, parse_shape_binding("K=64,M=1024,N=1024"), *cloud.spatial(), mappings::auto_structure(c, *cloud.spatial()));
}

Case fusemax_case() {
    arch::Arch fm = arch::load_preset("cloud-fusemax", workloads::data_dir());
    Cascade c = workloads::load_cascade("fusemax");
    ShapeBinding b = workloads::bind_model(workloads::load_model("bert-base"), c, 4096, 4096, 1);
    return make_case(c, b, *fm.spatial(), mappings::instantiate(mappings::load_named_mapping("fusemax", workloads::data_dir()), c, b, *fm.spatial()));
}

// The point's cost through its Mapping (the reference) and through the bound evaluator: equal to the bit.
void check_points(const Case& k, const std::vector<std::vector<int>>& points) {
    mappings::CostFn per_mapping = sim::spatial_cost_function(k.cascade, k.shape, k.arch);
    auto bound = sim::bind_analytical_cost(k.cascade, k.shape, k.arch, k.space);
    REQUIRE(bound);
    auto clone = bound->clone();
    int legal = 0;
    for (const auto& p : points) {
        mappings::Mapping m = k.space.base;
        for (std::size_t i = 0; i < p.size(); ++i) k.space.knobs[i].apply(m, p[i]);
        std::optional<mappings::Cost> want = per_mapping(m), got = (*bound)(p.data()), again = (*clone)(p.data());
        REQUIRE(want.has_value() == got.has_value());
        REQUIRE(got.has_value() == again.has_value());
        if (!want) continue;
        ++legal;
        CHECK(got->cycles == want->cycles);
        CHECK(got->energy_pj == want->energy_pj);
        CHECK(again->cycles == want->cycles);
    }
    CHECK(legal > 0);
}

std::vector<std::vector<int>> random_points(const mappings::SearchSpace& space, int n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::vector<int>> out;
    for (int i = 0; i < n; ++i) {
        std::vector<int> p;
        for (const auto& k : space.knobs) p.push_back(static_cast<int>(rng() % static_cast<std::uint64_t>(k.options)));
        out.push_back(p);
    }
    return out;
}

} // namespace

TEST_CASE("the bound analytical cost equals the per-mapping cost at every point of a GEMM's space") {
    Case k = gemm_case();
    std::vector<std::vector<int>> all;
    std::vector<int> p(k.space.knobs.size(), 0);
    for (double i = 0; i < k.space.size(); ++i) {
        all.push_back(p);
        for (std::size_t j = 0; j < p.size() && ++p[j] == k.space.knobs[j].options; ++j) p[j] = 0;
    }
    check_points(k, all);
}

TEST_CASE("the bound analytical cost equals the per-mapping cost on FuseMax and LeanAttention (shapes cached per M0, filters)") {
    Case f = fusemax_case();
    check_points(f, random_points(f.space, 2000, 11));

    arch::Arch cloud = arch::load_preset("cloud", workloads::data_dir());
    arch::set_values(cloud, {{"array1d.cycles_per_op", "{ add = 1, sub = 1, mul = 1, max = 1, exp = 4, div = 4, select = 1 }"},
                             {"energy.array1d_op_pj", "{ add = 0.4, sub = 0.4, mul = 1.1, max = 0.4, exp = 6.0, div = 5.5, select = 0.4 }"}});
    Cascade lean = workloads::load_cascade("leanattention");
    Case l = make_case(lean, workloads::bind_model(workloads::load_model("bert-base"), lean, 8192, 1, 2), *cloud.spatial(),
                       mappings::auto_structure(lean, *cloud.spatial()));
    check_points(l, random_points(l.space, 300, 12));
}

TEST_CASE("a space the bound cost cannot evaluate falls back to the per-mapping path, with the same answer") {
    Case k = gemm_case();
    mappings::Knob opaque;
    opaque.name = "group[0].double_buffer";
    opaque.options = 2;
    opaque.labels = {"false", "true"};
    opaque.apply = [](mappings::Mapping& m, int i) { m.groups[0].double_buffer = i == 1; };
    mappings::SearchSpace with_opaque = k.space;
    with_opaque.knobs.push_back(opaque);
    CHECK_FALSE(sim::bind_analytical_cost(k.cascade, k.shape, k.arch, with_opaque));

    // A loop order that names another loop changes where factors lie: not a permutation, not bound.
    mappings::SearchSpace other_loops = k.space;
    for (auto& knob : other_loops.knobs)
        if (knob.kind == mappings::KnobKind::dram_loops) knob.orders.back().back() = "k0";
    CHECK_FALSE(sim::bind_analytical_cost(k.cascade, k.shape, k.arch, other_loops));

    mappings::SearchOptions so;
    so.max_evaluations = 500;
    so.seed = 3;
    mappings::CostFn fast = sim::spatial_cost_function(k.cascade, k.shape, k.arch);
    mappings::CostFn slow = [&](const mappings::Mapping& m) { return fast(m); }; // not a BindableCost: one Mapping per point
    mappings::SearchResult a = mappings::search(k.space, fast, so), b = mappings::search(k.space, slow, so);
    CHECK(a.evaluated == b.evaluated);
    CHECK(a.legal == b.legal);
    REQUIRE(a.best);
    REQUIRE(b.best);
    CHECK(*a.best == *b.best);
    CHECK(a.best_cost.cycles == b.best_cost.cycles);
}
