#include <doctest/doctest.h>

#include "../sim/tiny_arch.h"
#include "mappings/loop_nest.h"
#include "workloads/library.h"

using namespace einsum;

namespace {
mappings::LoopNest nest_for(const std::string& mapping_text, const char* shape) {
    Cascade c = workloads::load_cascade("gemm");
    mappings::Mapping m = mappings::parse_mapping(mapping_text, "m.toml");
    Shape s = mappings::mapped_shape(c, parse_shape_binding(shape), m);
    return mappings::build_loop_nest(c, s, m, tiny_array());
}
einsum::InputError nest_error(const std::string& text) {
    try {
        nest_for(text, "K=8,M=8,N=8");
    } catch (const einsum::InputError& e) {
        return e;
    }
    FAIL("expected an error");
    throw;
}
} // namespace

TEST_CASE("split extents: the outermost part covers the rest, short last tiles included") {
    auto n = nest_for(tiny_gemm_mapping, "K=8,M=10,N=8");
    CHECK(n.extents.at("m0") == 4);
    CHECK(n.extents.at("m1") == 3); // ceil(10 / 4)
    CHECK(n.einsums[0].points == 8 * 10 * 8);
    CHECK(n.einsums[0].steps == 3 * 2);
}

TEST_CASE("swapping the loop order moves the refetches from B to A") {
    std::string swapped = tiny_gemm_mapping;
    swapped.replace(swapped.find("[\"m1\", \"n1\"]"), 12, "[\"n1\", \"m1\"]");
    auto n = nest_for(swapped, "K=8,M=8,N=8");
    for (const auto& t : n.tensors) {
        if (t.tensor == "A") CHECK(t.dram_read_bytes == 256);
        if (t.tensor == "B") CHECK(t.dram_read_bytes == 128);
    }
}

TEST_CASE("mappings that do not fit the cascade are rejected with their location") {
    std::string bad_rank = tiny_gemm_mapping;
    bad_rank.replace(bad_rank.find("rows = [\"m0\"]"), 13, "rows = [\"q0\"]");
    auto e = nest_error(bad_rank);
    CHECK(e.where().key_path == "einsum.Z");
    CHECK(e.where().line == 16);
    CHECK(std::string(e.what()).find("'q0' is not a rank variable of Z") != std::string::npos);

    std::string twice = tiny_gemm_mapping;
    twice.replace(twice.find("cols = [\"n0\"]"), 13, "cols = [\"m0\"]");
    CHECK(std::string(nest_error(twice).what()).find("placed twice") != std::string::npos);

    std::string loop = tiny_gemm_mapping;
    loop.replace(loop.find("[\"m1\", \"n1\"]"), 12, "[\"m1\", \"x1\"]");
    CHECK(std::string(nest_error(loop).what()).find("loop 'x1' is not a rank variable") != std::string::npos);

    std::string missing = tiny_gemm_mapping;
    missing.replace(missing.find("N0 = 4"), 6, "");
    CHECK(std::string(nest_error(missing).what()).find("no tile given for N0") != std::string::npos);

    std::string unknown = tiny_gemm_mapping;
    unknown.replace(unknown.find("einsums = [\"Z\"]"), 15, "einsums = [\"W\"]");
    CHECK(std::string(nest_error(unknown).what()).find("unknown Einsum 'W'") != std::string::npos);
}

TEST_CASE("checks against the cascade name the line and column of the offending entry") {
    // tiny_gemm_mapping: line 12 is [[group]], 14 einsums, 16 [einsum.Z].
    std::string in_unit = tiny_gemm_mapping;
    in_unit.replace(in_unit.find("dram_loops"), 0, "in_unit = [\"Z\", \"QQQ\"]\n");
    auto u = nest_error(in_unit);
    CHECK(u.where().file == "m.toml");
    CHECK(u.where().line == 15);
    CHECK(u.where().column == 17);
    CHECK(u.where().key_path == "group[0].in_unit[1]");
    CHECK(std::string(u.what()).find("unknown Einsum 'QQQ' in in_unit") != std::string::npos);

    std::string unknown = tiny_gemm_mapping;
    unknown.replace(unknown.find("einsums = [\"Z\"]"), 15, "einsums = [\"Z\", \"W\"]");
    auto w = nest_error(unknown);
    CHECK(w.where().line == 14);
    CHECK(w.where().column == 17);
    CHECK(w.where().key_path == "group[0].einsums[1]");

    // gemm has one Einsum: a second group listing it is located at that group.
    std::string second = tiny_gemm_mapping;
    second.replace(second.find("einsums = [\"Z\"]"), 15, "einsums = [\"Z\"]\n[[group]]\nname = \"g2\"\neinsums = [\"Z\"]");
    auto twice = nest_error(second);
    CHECK(twice.where().line == 15);
    CHECK(twice.where().key_path == "group[1]");

    std::string no_table = tiny_gemm_mapping;
    no_table.replace(no_table.find("[einsum.Z]"), 10, "[einsum.Y]");
    auto t = nest_error(no_table);
    CHECK(t.where().line == 16);
    CHECK(t.where().column == 1);
    CHECK(t.where().key_path == "einsum");
    CHECK(std::string(t.what()).find("has no [einsum.Z] table") != std::string::npos);
}

TEST_CASE("a shape whose iteration points the cost models cannot count in 64 bits is refused, located at the Einsum") {
    // gemm's one Einsum Z has K x M x N points: 2^20 x 2^20 x 2^19 = 2^59 is the most, one more key is too many.
    CHECK(nest_for(tiny_gemm_mapping, "K=1048576,M=1048576,N=524288").einsums[0].points == std::int64_t(1) << 59);
    try {
        nest_for(tiny_gemm_mapping, "K=1048576,M=1048576,N=524289");
        FAIL("expected an error");
    } catch (const einsum::InputError& e) {
        CHECK(e.where().line > 0);
        CHECK(e.where().key_path == "einsum[0]");
        CHECK(std::string(e.what()).find("the Einsums up to 'Z' have more than 2^59 iteration points under shape") != std::string::npos);
    }
    // Extents whose product wraps 64 bits are caught, not multiplied into a small number.
    CHECK_THROWS_WITH_AS(nest_for(tiny_gemm_mapping, "K=2147483648,M=2147483648,N=2147483648"), doctest::Contains("more than 2^59 iteration points"),
                         einsum::InputError);
}
