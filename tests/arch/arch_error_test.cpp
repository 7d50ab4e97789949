#include <doctest/doctest.h>

#include "arch/arch_error.h"

using arch::ArchError;
using arch::ArchLocation;

TEST_CASE("ArchError reads FILE:LINE:COL: KEY.PATH: reason") {
    ArchError e({"presets/x.toml", 7, 8, "array2d.rows"}, "must be > 0, got -4");
    CHECK(std::string(e.what()) == "presets/x.toml:7:8: array2d.rows: must be > 0, got -4");
    CHECK(e.where().line == 7);
    CHECK(e.where().column == 8);
    CHECK(e.where().key_path == "array2d.rows");
    CHECK(e.reason() == "must be > 0, got -4");
}

TEST_CASE("ArchError leaves out the parts of its location that are unknown") {
    CHECK(std::string(ArchError({"f.toml", 3, 0, ""}, "bad").what()) == "f.toml:3: bad");
    CHECK(std::string(ArchError({"--set", 0, 0, "dram.bandwidth_gb_per_s"}, "bad").what()) ==
          "--set: dram.bandwidth_gb_per_s: bad");
    CHECK(std::string(ArchError({"", 0, 0, ""}, "bad").what()) == "<input>: bad");
}
