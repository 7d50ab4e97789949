// Printing gives TOML that parses back to an equal value, for every preset and awkward numbers.
#include <doctest/doctest.h>

#include "arch/load.h"
#include "arch/print.h"
#include "arch/set_value.h"
#include "arch/toml_writer.h"
#include "test_support.h"

using namespace arch;

TEST_CASE("every preset round-trips through to_toml and parse_arch") {
    auto names = list_presets(arch::test::data_dir());
    REQUIRE(!names.empty());
    for (const auto& name : names) {
        CAPTURE(name);
        Arch original = load_preset(name, arch::test::data_dir());
        std::string printed = to_toml(original);
        Arch again = parse_arch(printed, "printed.toml");
        CHECK(again == original);
        CHECK(to_toml(again) == printed);
    }
}

TEST_CASE("printing puts name and kind first and sub-tables after the scalars") {
    Arch a = parse_arch(arch::test::small_edge, "t.toml");
    std::string printed = to_toml(a);
    CHECK(printed.rfind("name = \"e\"\nkind = \"edge\"\ndevice = \"cpu\"\nclock_mhz = 2000.0\n", 0) == 0);
    CHECK(printed.find("\n[compute]\nunits = 2\n") != std::string::npos);
    CHECK(printed.find("\n[[memory]]\nname = \"l1\"\n") != std::string::npos);
    CHECK(printed.find("\n[[memory]]\nname = \"l2\"\n") != std::string::npos);
}

TEST_CASE("numbers print in their shortest exact form") {
    CHECK(format_toml_float(940) == "940.0");
    CHECK(format_toml_float(0.1) == "0.1");
    CHECK(format_toml_float(1e22) == "1e+22");
    CHECK(format_toml_float(-2.5) == "-2.5");
    CHECK(format_toml_float(400e9 / 940e6) == "425.531914893617");
    CHECK(quote_toml_string("a\"b\\c\n") == "\"a\\\"b\\\\c\\n\"");

    Arch a = parse_arch(arch::test::small_spatial, "t.toml");
    for (double x : {0.1, 1.0 / 3.0, 1e-7, 123456.789, 1e-9, 1e15, 4.000000000000001e14}) {
        CAPTURE(x);
        set_value(a, "energy.mac_pj", x);
        set_value(a, "area.pe_mm2", x);
        Arch again = parse_arch(to_toml(a), "printed.toml");
        CHECK(again.spatial()->energy.mac_pj == x);
        CHECK(again == a);
    }
    // Past the magnitudes a hardware figure can take, a value is refused rather than overflowing the
    // models' counts; the arch keeps its last value.
    for (double x : {1e22, 5e-324, 1.7976931348623157e308, 9.9e-10, 1.0000000000000002e15}) {
        CAPTURE(x);
        CHECK_THROWS_WITH(set_value(a, "energy.mac_pj", x), doctest::Contains("is outside the magnitudes einsim computes with (1e-09 to 1e+15)"));
        CHECK(a.spatial()->energy.mac_pj == 4.000000000000001e14);
    }
}

TEST_CASE("operator<< prints the TOML form") {
    Arch a = parse_arch(arch::test::small_gpu, "t.toml");
    std::ostringstream out;
    out << a;
    CHECK(out.str() == to_toml(a));
}
