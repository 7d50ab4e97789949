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
