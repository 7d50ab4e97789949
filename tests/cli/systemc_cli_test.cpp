// End-to-end: `einsim simulate --engine systemc` (JSON, trace, errors) and `einsim compare
// fusemax-vs-flat --engine systemc` against the analytical engine's table.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "run_einsim.h"

using nlohmann::json;

namespace {

const std::string fusemax_1k = "simulate --cascade fusemax --arch cloud-fusemax --mapping fusemax --model bert-base --seq 1024";

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::stringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty()) continue;
        std::vector<std::string> cells;
        std::stringstream ss(line);
        std::string c;
        while (std::getline(ss, c, ',')) cells.push_back(c);
        rows.push_back(cells);
    }
    return rows;
}

} // namespace

TEST_CASE("einsim simulate --engine systemc: the analytical model's bytes, its own cycles, where each unit's time went") {
    RunResult sc = run_einsim(fusemax_1k + " --engine systemc --format json");
    RunResult an = run_einsim(fusemax_1k + " --format json");
    INFO(sc.err);
    REQUIRE(sc.code == 0);
    REQUIRE(an.code == 0);
    json s = json::parse(sc.out), a = json::parse(an.out);
    CHECK(s["engine"] == "systemc");
    CHECK(a["engine"] == "analytical");
    CHECK(s["traffic"] == a["traffic"]);
    CHECK(s["macs"] == a["macs"]);
    CHECK(s["cycles"].get<double>() == doctest::Approx(a["cycles"].get<double>()).epsilon(0.10));
    CHECK(!a.contains("activity"));
    REQUIRE(s["activity"].size() == 4); // array2d, array1d, dram, global_buffer
    for (const auto& act : s["activity"])
        CHECK(act["busy_cycles"].get<double>() + act["stalled_cycles"].get<double>() + act["idle_cycles"].get<double>() ==
              doctest::Approx(s["cycles"].get<double>()).epsilon(1e-9));
    std::set<std::string> causes{"dram", "array2d", "array1d", "buffer_space"};
    for (const auto& st : s["stalls"]) CHECK(causes.count(st["cause"].get<std::string>()) == 1);
}

TEST_CASE("einsim simulate --trace writes a Chrome trace; a trace it cannot write is refused before the run") {
    const std::string path = std::string(EINSIM_BINARY_DIR) + "/tests/cli/systemc_trace.json";
    std::remove(path.c_str());
    RunResult r = run_einsim(fusemax_1k + " --engine systemc --trace " + path);
    INFO(r.err);
    REQUIRE(r.code == 0);
    std::ifstream in(path);
    REQUIRE(in);
    json t = json::parse(in);
    std::set<std::string> tracks;
    for (const auto& e : t["traceEvents"])
        if (e["ph"] == "M" && e["name"] == "thread_name") tracks.insert(e["args"]["name"].get<std::string>());
    for (const char* track : {"array2d", "array1d", "global_buffer", "groups"}) CHECK(tracks.count(track) == 1);
    std::remove(path.c_str());

    RunResult bad = run_einsim(fusemax_1k + " --engine systemc --trace /nonexistent-folder/t.json");
    CHECK(bad.code == 1);
    CHECK(bad.err.find("--trace") != std::string::npos);
    CHECK(bad.err.find("no folder /nonexistent-folder") != std::string::npos);
    CHECK(bad.out.empty());
}

TEST_CASE("einsim compare fusemax-vs-flat --engine systemc: the analytical table's columns and rows, the same bytes") {
    const std::string args = "compare fusemax-vs-flat --models bert-base --seq 1024 --format csv";
    RunResult sc = run_einsim(args + " --engine systemc");
    RunResult an = run_einsim(args);
    INFO(sc.err);
    REQUIRE(sc.code == 0);
    REQUIRE(an.code == 0);
    auto s = csv_rows(sc.out), a = csv_rows(an.out);
    REQUIRE(s.size() == a.size());
    REQUIRE(s.size() == 4); // header, unfused, flat, fusemax
    CHECK(s[0] == a[0]);
    std::size_t dram = 0, cycles = 0;
    for (std::size_t c = 0; c < a[0].size(); ++c) {
        if (a[0][c] == "dram_bytes") dram = c;
        if (a[0][c] == "cycles") cycles = c;
    }
    REQUIRE(dram > 0);
    for (std::size_t i = 1; i < s.size(); ++i) {
        INFO(a[i][2]);
        CHECK(s[i][0] == a[i][0]);
        CHECK(s[i][2] == a[i][2]);
        CHECK(s[i][dram] == a[i][dram]);
        CHECK(std::stod(s[i][cycles]) == doctest::Approx(std::stod(a[i][cycles])).epsilon(0.10));
    }
}
