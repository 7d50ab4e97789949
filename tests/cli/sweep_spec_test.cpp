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

TEST_CASE("a sweep file's typos are located errors, not illegal rows: designs, shape ranks, duplicates, exclusions, name, ranges") {
    auto design = [](const std::string& cascade, const std::string& mapping, const std::string& arch) {
        return "name = \"t\"\n[designs.flat]\ncascade = \"" + cascade + "\"\nmapping = \"" + mapping + "\"\narch = \"" + arch +
               "\"\n[[axis]]\nkey = \"design\"\nvalues = [\"flat\"]\n";
    };
    auto arch = error_of(design("attention_3pass", "flat", "nosuch"));
    CHECK(arch.where().line == 5);
    CHECK(arch.where().column == 8);
    CHECK(arch.where().key_path == "designs.flat.arch");
    CHECK(std::string(arch.what()).find("cannot use arch \"nosuch\"") != std::string::npos);
    auto cascade = error_of(design("nosuch", "flat", "cloud-flat"));
    CHECK(cascade.where().line == 3);
    CHECK(cascade.where().key_path == "designs.flat.cascade");
    CHECK(std::string(cascade.what()).find("cannot use cascade \"nosuch\"") != std::string::npos);
    auto mapping = error_of(design("attention_3pass", "nosuch", "cloud-flat"));
    CHECK(mapping.where().line == 4);
    CHECK(std::string(mapping.what()).find("cannot use mapping \"nosuch\"") != std::string::npos);
    auto gpu = error_of(design("attention_3pass", "flat", "a100"));
    CHECK(std::string(gpu.what()).find("not a spatial array") != std::string::npos);

    auto key = error_of("name = \"t\"\n[designs.flat]\ncascade = \"attention_3pass\"\nmapping = \"flat\"\narch = \"cloud-flat\"\nbogus = 1\n"
                        "[[axis]]\nkey = \"design\"\nvalues = [\"flat\"]\n");
    CHECK(key.where().line == 6);
    CHECK(std::string(key.what()).find("unknown key 'bogus' (expected cascade, mapping, arch)") != std::string::npos);

    auto rank = error_of(head + "[[axis]]\nkey = \"shape.Z\"\nvalues = [1]\n");
    CHECK(rank.where().line == 11);
    CHECK(rank.where().column == 10);
    CHECK(std::string(rank.what()).find("unknown rank or parameter 'Z' in shape.Z") != std::string::npos);
    auto extent = error_of(head + "[[axis]]\nkey = \"shape.E\"\nvalues = [64, 0]\n");
    CHECK(extent.where().line == 11);
    CHECK(extent.where().column == 15);
    CHECK(std::string(extent.what()).find("shape.E is the extent of rank E (cascade attention_3pass): a positive integer") != std::string::npos);
    CHECK_NOTHROW(parse_sweep(head + "[[axis]]\nkey = \"shape.E\"\nvalues = [64, 128]\n", "s.toml"));
    // A tile of a rank no cascade of the sweep has.
    auto tile = error_of(head + "[[axis]]\nkey = \"mapping.tiles.Q0\"\nvalues = [16, 32]\n");
    CHECK(tile.where().line == 11);
    CHECK(tile.where().column == 10); // where the axis names its key, as for shape.Z
    CHECK(std::string(tile.what()).find("unknown rank 'Q0' in mapping.tiles.Q0 (the sweep's cascades have: attention_3pass: ") != std::string::npos);
    CHECK_NOTHROW(parse_sweep(head + "[[axis]]\nkey = \"mapping.tiles.M\"\nvalues = [16, 32]\n", "s.toml"));

    auto dup = error_of(head + "[[axis]]\nkey = \"seq\"\nvalues = [1024, 2048, 1024]\n");
    CHECK(dup.where().line == 11);
    CHECK(dup.where().column == 23);
    CHECK(std::string(dup.what()).find("duplicate value 1024 on axis 'seq' (also at 11:11)") != std::string::npos);
    auto zipdup = error_of(head + "[[axis]]\nzip = { \"arch.array2d.rows\" = [64, 64], \"arch.array2d.cols\" = [32, 32] }\n");
    CHECK(std::string(zipdup.what()).find("duplicate entry 1 of the zipped axis") != std::string::npos);
    CHECK_NOTHROW(parse_sweep(head + "[[axis]]\nzip = { \"arch.array2d.rows\" = [64, 128], \"arch.array2d.cols\" = [32, 32] }\n", "s.toml"));

    const std::string seqs = head + "[[axis]]\nkey = \"seq\"\nvalues = [1024, 2048]\n";
    auto off_axis = error_of(seqs + "[[exclude]]\nseq = 4096\n");
    CHECK(off_axis.where().line == 13);
    CHECK(off_axis.where().column == 7);
    CHECK(std::string(off_axis.what()).find("value 4096 is not among the values of 'seq' (1024, 2048)") != std::string::npos);
    auto wrong_type = error_of(seqs + "[[exclude]]\nseq = \"1024\"\n");
    CHECK(wrong_type.where().line == 13);
    CHECK(std::string(wrong_type.what()).find("value of another type: \"1024\"") != std::string::npos);
    auto no_axis = error_of(seqs + "[[exclude]]\nbatch = 2\n");
    CHECK(std::string(no_axis.what()).find("exclusion on 'batch', which is on no axis and not in [base]") != std::string::npos);
    CHECK(cli::sweep::enumerate_points(parse_sweep(seqs + "[[exclude]]\nseq = 2048\n", "s.toml")).size() == 1);

    std::string rest = head.substr(head.find('\n') + 1);
    auto empty = error_of("name = \"\"\n" + rest);
    CHECK(empty.where().line == 1);
    CHECK(empty.where().column == 8);
    CHECK(empty.where().key_path == "name");
    CHECK(std::string(empty.what()).find("empty sweep name") != std::string::npos);
    auto slash = error_of("name = \"a/b\"\n" + rest);
    CHECK(slash.where().key_path == "name");
    CHECK(std::string(slash.what()).find("cannot be a file name") != std::string::npos);

    auto huge = error_of(head + "[[axis]]\nkey = \"seq\"\nvalues = [1024, 9223372036854775807]\n");
    CHECK(huge.where().line == 11);
    CHECK(huge.where().column == 17);
    CHECK(std::string(huge.what()).find("seq = 9223372036854775807 is too large (at most 2147483648)") != std::string::npos);
}
