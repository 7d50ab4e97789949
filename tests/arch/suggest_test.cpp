#include <doctest/doctest.h>

#include "arch/suggest.h"

using arch::closest_match;

TEST_CASE("closest_match suggests near misses only") {
    std::vector<std::string> keys = {"rows", "cols", "macs_per_pe_per_cycle", "rf_bytes_per_pe"};
    CHECK(closest_match("rowz", keys) == "rows");
    CHECK(closest_match("col", keys) == "cols");
    CHECK(closest_match("macs_per_pe_per_cylce", keys) == "macs_per_pe_per_cycle");
    CHECK(closest_match("bandwidth", keys) == std::nullopt);
    CHECK(closest_match("x", {}) == std::nullopt);
    CHECK(arch::join({"a", "b", "c"}) == "a, b, c");
}
