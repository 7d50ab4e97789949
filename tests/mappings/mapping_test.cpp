#include <doctest/doctest.h>

#include "mappings/library.h"
#include "mappings/mapping.h"
#include "workloads/library.h"

using namespace mappings;

namespace {
einsum::InputError parse_error(const std::string& text) {
    try {
        parse_mapping(text, "m.toml");
    } catch (const einsum::InputError& e) {
        return e;
    }
    FAIL("expected an error");
    throw;
}
} // namespace

TEST_CASE("every built-in template parses and prints back to an equal value") {
    for (const auto& name : template_names(workloads::data_dir())) {
        INFO(name);
        Mapping m = load_named_mapping(name, workloads::data_dir());
        CHECK(parse_mapping(to_toml(m), "printed.toml") == m);
        CHECK(m.is_template());
    }
}

TEST_CASE("mapping errors carry file, line, column and key path") {
    auto e = parse_error("name = \"x\"\ncascade = \"gemm\"\n[[group]]\neinsums = [\"Z\"]\noverlap = \"sometimes\"\n");
    CHECK(e.where().line == 5);
    CHECK(e.where().column == 11);
    CHECK(e.where().key_path == "group[0].overlap");
    CHECK(std::string(e.what()).find("expected \"pipeline\" or \"serial\"") != std::string::npos);

    auto u = parse_error("name = \"x\"\ncascade = \"gemm\"\n[[group]]\neinsums = [\"Z\"]\n[einsum.Z]\nunit = \"tensor_core\"\n");
    CHECK(u.where().line == 6);
    CHECK(u.where().key_path == "einsum.Z.unit");

    auto t = parse_error("name = \"x\"\ncascade = \"gemm\"\n[tiles]\nM0 = \"half\"\n[[group]]\neinsums = [\"Z\"]\n");
    CHECK(t.where().line == 4);
    CHECK(std::string(t.what()).find("unknown tile template 'half'") != std::string::npos);

    auto k = parse_error("name = \"x\"\ncascade = \"gemm\"\n[[group]]\neinsums = [\"Z\"]\ndram_loop = [\"m\"]\n");
    CHECK(k.where().key_path == "group[0].dram_loop");
    CHECK(std::string(k.what()).find("unknown key 'dram_loop'") != std::string::npos);

    auto g = parse_error("name = \"x\"\ncascade = \"gemm\"\n");
    CHECK(std::string(g.what()).find("expected at least one [[group]]") != std::string::npos);
}

TEST_CASE("fit bounds: zero, negative and out-of-range bounds are located errors") {
    const std::string head = "name = \"x\"\ncascade = \"gemm\"\n[tiles]\n";
    const std::string tail = "[[group]]\neinsums = [\"Z\"]\n";
    auto zero = parse_error(head + "M0 = \"fit:0\"\n" + tail);
    CHECK(zero.where().file == "m.toml");
    CHECK(zero.where().line == 4);
    CHECK(zero.where().column == 6);
    CHECK(zero.where().key_path == "tiles.M0");
    CHECK(std::string(zero.what()).find("the bound of 'fit:0' must be >= 1") != std::string::npos);

    auto huge = parse_error(head + "M0 = \"fit:99999999999999999999\"\n" + tail);
    CHECK(huge.where().line == 4);
    CHECK(huge.where().column == 6);
    CHECK(huge.where().key_path == "tiles.M0");
    CHECK(std::string(huge.what()).find("is too large") != std::string::npos);
    CHECK(std::string(parse_error(head + "M0 = \"fit:1099511627777\"\n" + tail).what()).find("is too large") != std::string::npos);
    CHECK_NOTHROW(parse_mapping(head + "M0 = \"fit:1099511627776\"\n" + tail, "m.toml"));
    // A numeric tile is a rank extent: at most 2^31.
    auto tile = parse_error(head + "M0 = 9223372036854775807\n" + tail);
    CHECK(tile.where().line == 4);
    CHECK(tile.where().key_path == "tiles.M0");
    CHECK(std::string(tile.what()).find("a tile extent must be at most 2147483648") != std::string::npos);
    CHECK_NOTHROW(parse_mapping(head + "M0 = 2147483648\n" + tail, "m.toml"));
}

TEST_CASE("a loop or spatial rank listed twice is a located error") {
    auto dram = parse_error("name = \"x\"\ncascade = \"gemm\"\n[[group]]\neinsums = [\"Z\"]\ndram_loops = [\"m1\", \"n1\", \"m1\"]\n");
    CHECK(dram.where().line == 5);
    CHECK(dram.where().column == 27);
    CHECK(dram.where().key_path == "group[0].dram_loops[2]");
    CHECK(std::string(dram.what()).find("'m1' is listed twice (also at group[0].dram_loops[0])") != std::string::npos);

    auto buf = parse_error("name = \"x\"\ncascade = \"gemm\"\n[[group]]\neinsums = [\"Z\"]\nbuffer_loops = [\"k\", \"k\"]\n");
    CHECK(buf.where().line == 5);
    CHECK(buf.where().column == 22);
    CHECK(buf.where().key_path == "group[0].buffer_loops[1]");

    auto rows = parse_error("name = \"x\"\ncascade = \"gemm\"\n[[group]]\neinsums = [\"Z\"]\n[einsum.Z]\nunit = \"array2d\"\nrows = [\"m0\", \"m0\"]\n");
    CHECK(rows.where().line == 7);
    CHECK(rows.where().column == 15);
    CHECK(rows.where().key_path == "einsum.Z.rows[1]");
}
