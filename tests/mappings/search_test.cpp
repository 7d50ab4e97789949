// The mapper's search on a small synthetic space (three power-of-two tiles, a hand-written cost):
// the evaluation budget is a hard cap whatever the threads, and the answer is legal and the same
// for any thread count.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>

#include "mappings/search.h"

namespace {

// Tiles a, b, c from 1 to 1024 (11 options each, 1331 points). Cycles grow with each tile's distance
// (in powers of two) from 8, 128 and 32; a * b above 2^14 does not fit (illegal).
struct Space {
    mappings::SearchSpace space;
    Space() {
        mappings::Mapping base;
        base.tiles = {{"a", {1, ""}}, {"b", {1, ""}}, {"c", {1, ""}}};
        space = mappings::make_space(base, {{"a", 1024}, {"b", 1024}, {"c", 1024}});
    }
};

struct CountingCost {
    std::atomic<std::int64_t>* calls;
    std::optional<mappings::Cost> operator()(const mappings::Mapping& m) const {
        ++*calls;
        const double a = std::log2(static_cast<double>(m.tiles.at("a").value)), b = std::log2(static_cast<double>(m.tiles.at("b").value)),
                     c = std::log2(static_cast<double>(m.tiles.at("c").value));
        if (a + b > 14) return std::nullopt;
        return mappings::Cost{1 + std::abs(a - 3) + std::abs(b - 7) + std::abs(c - 5), 1};
    }
};

mappings::SearchResult run(const mappings::SearchSpace& space, std::int64_t max_evaluations, int threads, std::atomic<std::int64_t>& calls) {
    mappings::SearchOptions o;
    o.seed = 5;
    o.max_evaluations = max_evaluations;
    o.threads = threads;
    calls = 0;
    return mappings::search(space, CountingCost{&calls}, o);
}

} // namespace

TEST_CASE("the search never evaluates more mappings than its budget, and reports how many it did") {
    Space s;
    REQUIRE(s.space.size() == 1331);
    for (std::int64_t budget : {1, 2, 10, 100, 500}) {
        for (int threads : {1, 4}) {
            CAPTURE(budget);
            CAPTURE(threads);
            std::atomic<std::int64_t> calls{0};
            mappings::SearchResult r = run(s.space, budget, threads, calls);
            CHECK(r.evaluated <= budget);
            // The count is the cost function's calls less the one that rebuilds the best mapping's cost.
            CHECK(r.evaluated == calls - (r.best ? 1 : 0));
            CHECK_FALSE(r.exhaustive);
            // The base (every tile 1) is legal and evaluated first: any budget finds a legal mapping.
            REQUIRE(r.best);
            CHECK(r.best->tiles.at("a").value * r.best->tiles.at("b").value <= (1 << 14));
            CHECK(r.best_cost.cycles <= 1 + 3 + 7 + 5);
        }
    }
    // A budget of 1 evaluates the base alone; the descent spends the whole of a budget it cannot finish.
    std::atomic<std::int64_t> calls{0};
    CHECK(run(s.space, 1, 1, calls).evaluated == 1);
    CHECK(run(s.space, 100, 1, calls).evaluated == 100);
    CHECK(run(s.space, 100, 4, calls).evaluated == 100);
}

TEST_CASE("a capped search gives the same answer whatever the threads, and an exhaustive one evaluates the space once") {
    Space s;
    std::atomic<std::int64_t> calls{0};
    mappings::SearchResult one = run(s.space, 100, 1, calls), four = run(s.space, 100, 4, calls);
    REQUIRE(one.best);
    REQUIRE(four.best);
    CHECK(*one.best == *four.best);
    CHECK(one.legal == four.legal);

    mappings::SearchResult all = run(s.space, 1331, 3, calls);
    CHECK(all.exhaustive);
    CHECK(all.evaluated == 1331); // the base point is not evaluated a second time
    REQUIRE(all.best);
    CHECK(all.best_cost.cycles == 1);
    CHECK(all.best->tiles.at("a").value == 8);
    CHECK(all.best->tiles.at("b").value == 128);
    CHECK(all.best->tiles.at("c").value == 32);
}
