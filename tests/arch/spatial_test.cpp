// Derived figures of the spatial family, on a 4 x 4 array small enough to count by hand.
#include <doctest/doctest.h>

#include "arch/load.h"
#include "test_support.h"

using namespace arch;

TEST_CASE("derived spatial figures") {
    Arch a = parse_arch(arch::test::small_spatial, "t.toml");
    const SpatialArch& s = *a.spatial();
    CHECK(s.array2d.pe_count() == 16);
    CHECK(s.peak_macs_per_cycle() == 16.0);
    CHECK(s.array2d.supports(Op::max));
    CHECK(!s.array2d.supports(Op::exp));
    CHECK(s.array1d.operators() == std::vector<Op>{Op::add, Op::exp});
    CHECK(s.array1d.ops_per_cycle(Op::add) == 4.0);
    CHECK(s.array1d.ops_per_cycle(Op::exp) == 2.0); // 4 lanes, 2 cycles each
    CHECK(s.array1d.ops_per_cycle(Op::div) == 0.0);
    CHECK(s.dram_bandwidth_bytes_per_cycle() == doctest::Approx(8.0)); // 8 GB/s at 1 GHz
    // 16 PEs x 0.01 + 4 lanes x 0.02 + 1 KiB x 4 mm^2/MiB
    CHECK(s.area_mm2() == doctest::Approx(0.16 + 0.08 + 4.0 / 1024));
    // 16 x 0.1 + 4 x 0.2 + 5 / 1024 mW
    CHECK(s.static_power_mw() == doctest::Approx(2.4 + 5.0 / 1024));
    // mW / MHz = nJ per cycle
    CHECK(s.static_energy_pj_per_cycle() == doctest::Approx((2.4 + 5.0 / 1024) / 1000 * 1000));
}

TEST_CASE("an Arch knows its kind and gives its family struct only for that kind") {
    Arch a = parse_arch(arch::test::small_spatial, "t.toml");
    CHECK(a.kind() == ArchKind::spatial);
    CHECK(name(a.kind()) == "spatial");
    CHECK(a.spatial() != nullptr);
    CHECK(a.gpu() == nullptr);
    CHECK(a.edge() == nullptr);
}
