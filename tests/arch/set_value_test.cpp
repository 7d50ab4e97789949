// Overriding one figure by key path, validated like a file; failures name the key path and leave the
// architecture unchanged.
#include <doctest/doctest.h>

#include "arch/load.h"
#include "arch/set_value.h"
#include "test_support.h"

using namespace arch;
using arch::test::error_of;

namespace {
Arch preset(const char* name) { return load_preset(name, arch::test::data_dir()); }
} // namespace

TEST_CASE("set_value changes integers, numbers, booleans and table entries by key path") {
    Arch a = preset("cloud");
    set_value(a, "array2d.rows", 128);
    CHECK(a.spatial()->array2d.rows == 128);
    CHECK(a.spatial()->array2d.pe_count() == 128 * 256);

    set_value(a, "array2d.cols", "64");
    CHECK(a.spatial()->array2d.cols == 64);

    set_value(a, "dram.bandwidth_gb_per_s", 800.0);
    CHECK(a.spatial()->dram_bandwidth_bytes_per_cycle() == doctest::Approx(800e9 / 940e6));
    set_value(a, "clock_mhz", 1000); // an integer where a number is expected is fine
    CHECK(a.spatial()->clock_mhz == 1000.0);

    set_value(a, "array1d.cycles_per_op.exp", 2);
    CHECK(a.spatial()->array1d.cycles_per_op.at(Op::exp) == 2);

    // Fields that must agree change together, validated once.
    set_values(a, {{"array2d.cycles_per_op", "{ mul = 1, add = 1 }"}, {"energy.array2d_op_pj", "{ mul = 1.1, add = 0.4 }"}});
    CHECK(a.spatial()->array2d.operators() == std::vector<Op>{Op::add, Op::mul});

    set_value(a, "name", "\"cloud-128\"");
    CHECK(a.name == "cloud-128");

    Arch g = preset("h100");
    set_value(g, "hbm.copy_bandwidth_measured", false);
    CHECK(!g.gpu()->hbm.copy_bandwidth_measured);

    Arch a100 = preset("a100");
    CHECK(!a100.gpu()->supports(DType::fp8));
    set_value(a100, "sm.tensor_flops_per_cycle.fp8", 4096);
    CHECK(a100.gpu()->sm.tensor_flops_per_cycle.at(DType::fp8) == 4096.0);

    Arch e = preset("edge-cpu");
    set_value(e, "memory[1].capacity_bytes", 1 << 20);
    CHECK(e.edge()->level("l2")->capacity_bytes == 1 << 20);
    set_value(e, "sparsity.block_elements", 16L);
    CHECK(e.edge()->sparsity.block_elements == 16);
}

TEST_CASE("set_value reports bad values and unknown paths at the key path, leaving the value unchanged") {
    const Arch cloud = preset("cloud");
    Arch a = cloud;
    CHECK(error_of([&] { set_value(a, "array2d.rows", -1, "sweep.toml"); }) ==
          "sweep.toml: array2d.rows: must be > 0, got -1");
    CHECK(error_of([&] { set_value(a, "array2d.rows", "\"many\""); }) ==
          "set_value: array2d.rows: expected a positive integer, got a string");
    CHECK(error_of([&] { set_value(a, "dram.bandwidth_gb_per_s", 0.0, "--set"); }) ==
          "--set: dram.bandwidth_gb_per_s: must be > 0, got 0");
    CHECK(error_of([&] { set_value(a, "array2d.rowz", 128); }) ==
          "set_value: array2d.rowz: unknown key (did you mean 'rows'?)");
    CHECK(error_of([&] { set_value(a, "array3d.rows", 128); }) ==
          "set_value: array3d: unknown key (did you mean 'array2d'?)");
    CHECK(error_of([&] { set_value(a, "array1d.cycles_per_op.sqrt", 2); }) ==
          "set_value: array1d.cycles_per_op.sqrt: unknown operator 'sqrt' (expected one of: add, sub, mul, div, "
          "max, min, neg, exp, threshold, select)");
    CHECK(error_of([&] { set_value(a, "array2d.cycles_per_op.exp", 4); }) ==
          "set_value: energy.array2d_op_pj: no energy for operator 'exp', which array2d supports");
    CHECK(error_of([&] { set_value(a, "clock_mhz.x", 1); }) ==
          "set_value: clock_mhz: is a value, not a table, so it has no key 'x'");
    CHECK(error_of([&] { set_value(a, "array2d..rows", 1); }) == "set_value: array2d..rows: malformed key path");
    CHECK(error_of([&] { set_value(a, "array2d.rows", "12 34"); }).rfind("set_value: array2d.rows: '12 34' is not a TOML value", 0) == 0);
    CHECK(error_of([&] { set_value(a, "kind", "\"gpu\""); }) ==
          "set_value: area: unknown key (expected one of: name, kind, sm_count, boost_clock_mhz, tensor_clock_mhz, "
          "tdp_w, sm, l2, hbm, overheads, clusters)");
    CHECK(error_of([&] { set_values(a, {{"array2d.rows", "8"}, {"array2d.cols", "-8"}}, "sweep.toml"); }) ==
          "sweep.toml: array2d.cols: must be > 0, got -8");
    CHECK(a == cloud);

    Arch e = preset("edge-cpu");
    const Arch edge = e;
    CHECK(error_of([&] { set_value(e, "memory[5].capacity_bytes", 1); }) ==
          "set_value: memory[5]: index out of range (memory has 3 entries)");
    CHECK(error_of([&] { set_value(e, "dram[0].bandwidth_gb_per_s", 1); }) ==
          "set_value: dram: is not an array, so it cannot be indexed");
    CHECK(error_of([&] { set_value(e, "memory[2].name", "\"l1d\""); }) ==
          "set_value: memory[2].name: level name 'l1d' is already used by memory[0]");
    CHECK(e == edge);
}
