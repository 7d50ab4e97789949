#include <doctest/doctest.h>

#include "cli/sweep/points.h"
#include "cli/sweep/sweep_spec.h"

using cli::sweep::parse_sweep;

namespace {
const std::string head = "name = \"t\"\n"                              // 1
                         "[designs.flat]\n"                            // 2
                         "cascade = \"attention_3pass\"\n"             // 3
                         "mapping = \"flat\"\n"                        // 4
                         "arch = \"cloud-flat\"\n"                     // 5
                         "[[axis]]\n"                                  // 6
                         "key = \"design\"\n"                          // 7
                         "values = [\"flat\"]\n";                      // 8

einsum::InputError error_of(const std::string& text) {
    try {
        parse_sweep(text, "s.toml");
    } catch (const einsum::InputError& e) {
        return e;
    }
    FAIL("expected an error");
    throw;
}
} // namespace

TEST_CASE("a sweep's points: cartesian product, zipped axes and exclusions") {
    auto s = parse_sweep(head + "[[axis]]\nkey = \"seq\"\nvalues = [1024, 2048, 4096]\n"
                                "[[axis]]\nzip = { \"arch.array2d.rows\" = [64, 128], \"arch.array2d.cols\" = [32, 256] }\n"
                                "[[exclude]]\nseq = 2048\n\"arch.array2d.rows\" = 128\n",
                         "s.toml");
    auto points = cli::sweep::enumerate_points(s);
    CHECK(points.size() == 1 * 3 * 2 - 1);
    CHECK(points[0].key() == "design=flat;seq=1024;arch.array2d.cols=32;arch.array2d.rows=64");
    CHECK(points[1].key() == "design=flat;seq=1024;arch.array2d.cols=256;arch.array2d.rows=128");
    for (const auto& p : points) CHECK(p.key() != "design=flat;seq=2048;arch.array2d.rows=128;arch.array2d.cols=256");
    CHECK(points.back().index == 5);
}

TEST_CASE("malformed sweep files are rejected with file, line and column before anything runs") {
    auto unknown = error_of(head + "[[axis]]\nkey = \"arch.array2d.rowz\"\nvalues = [64]\n");
    CHECK(unknown.where().file == "s.toml");
    CHECK(unknown.where().line == 11);
    CHECK(std::string(unknown.what()).find("rejects arch.array2d.rowz") != std::string::npos);

    auto path = error_of(head + "[[axis]]\nkey = \"frobnicate\"\nvalues = [1]\n");
    CHECK(path.where().line == 11);
    CHECK(std::string(path.what()).find("unknown key path 'frobnicate'") != std::string::npos);

    auto empty = error_of(head + "[[axis]]\nkey = \"seq\"\nvalues = []\n");
    CHECK(empty.where().line == 11);
    CHECK(empty.where().column == 10);
    CHECK(std::string(empty.what()).find("empty axis") != std::string::npos);

    auto type = error_of(head + "[[axis]]\nkey = \"seq\"\nvalues = [1024, \"long\"]\n");
    CHECK(type.where().line == 11);
    CHECK(type.where().column == 17);
    CHECK(std::string(type.what()).find("type mismatch") != std::string::npos);

    auto seq = error_of(head + "[[axis]]\nkey = \"seq\"\nvalues = [1024, -5]\n");
    CHECK(std::string(seq.what()).find("seq takes positive integers") != std::string::npos);

    auto zip = error_of(head + "[[axis]]\nzip = { \"arch.array2d.rows\" = [64, 128], \"arch.array2d.cols\" = [32] }\n");
    CHECK(zip.where().line == 10);
    CHECK(std::string(zip.what()).find("zipped axes of different lengths") != std::string::npos);

    auto design = error_of(head + "[[axis]]\nkey = \"model\"\nvalues = [\"gpt-9\"]\n");
    CHECK(design.where().line == 11);
    CHECK(std::string(design.what()).find("cannot use model \"gpt-9\"") != std::string::npos);

    auto bad_value = error_of(head + "[[axis]]\nkey = \"arch.array2d.rows\"\nvalues = [-4]\n");
    CHECK(std::string(bad_value.what()).find("architecture cloud-flat rejects arch.array2d.rows = -4") != std::string::npos);

    auto top = error_of(head + "axes = 3\n");
    CHECK(top.where().line == 9);
    CHECK(std::string(top.what()).find("unknown key 'axes'") != std::string::npos);
}
