#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "run_einsim.h"

using nlohmann::json;

TEST_CASE("einsim check reports passes, Einsums and op counts as JSON") {
    const std::pair<const char*, int> expected[] = {{"attention_3pass", 3}, {"attention_2pass", 2}, {"attention_1pass", 1},
                                                    {"fusemax", 1}, {"flashdecoding", 1}, {"leanattention", 1}};
    for (auto [name, passes] : expected) {
        RunResult r = run_einsim(std::string("check ") + name + " --format json");
        INFO(name << " " << r.err);
        REQUIRE(r.code == 0);
        json j = json::parse(r.out);
        CHECK(j["passes"] == passes);
        CHECK(j["einsums"].is_array());
        CHECK(j["pass_analysis"][0]["boundaries"].size() == static_cast<std::size_t>(passes - 1));
    }
    RunResult r = run_einsim("check attention_3pass --shape M=100,P=20,E=16,F=8 --format json");
    REQUIRE(r.code == 0);
    json j = json::parse(r.out);
    CHECK(j["totals"]["mac_flops"] == 2 * 100 * 20 * 16 + 2 * 100 * 20 * 8);
    CHECK(j["totals"]["ops"]["exp"] == 100 * 20);
    CHECK(j["einsums"][0]["points"] == 100 * 20 * 16);
}

TEST_CASE("einsim check prints the reason of each pass in the table format") {
    RunResult r = run_einsim("check attention_3pass");
    REQUIRE(r.code == 0);
    CHECK(r.out.find("passes over M: 3") != std::string::npos);
    CHECK(r.out.find("pass 2: SN consumes M elements but needs GM") != std::string::npos);
}

TEST_CASE("einsim eval matches softmax attention for every attention cascade") {
    for (const char* name : {"attention_3pass", "attention_2pass", "attention_1pass", "fusemax", "flashdecoding", "leanattention", "deltallm"}) {
        RunResult r = run_einsim(std::string("eval ") + name + " --shape M=37,P=5,E=8,F=8 --format json");
        INFO(name << " " << r.err);
        REQUIRE(r.code == 0);
        json j = json::parse(r.out);
        CHECK(j["max_rel_error"].get<double>() < 1e-9);
    }
    RunResult csv = run_einsim("eval fusemax --shape M=37,P=5,E=8,F=8 --format csv");
    CHECK(csv.out.rfind("cascade,shape,seed,rho,reference,max_rel_error,", 0) == 0);
}

TEST_CASE("einsim exit codes and located error messages") {
    std::string bad = std::string(EINSIM_BINARY_DIR) + "/tests/cli/bad_cascade.toml";
    {
        std::ofstream f(bad);
        f << "name = \"bad\"\n[ranks]\nM = \"sequence\"\n[inputs]\nK = [\"M\"]\n[[einsum]]\nout = \"Z[m]\"\nexpr = \"K[q]\"\n";
    }
    RunResult r = run_einsim("check " + bad);
    CHECK(r.code == 1);
    CHECK(r.err.find(bad + ":8:9: einsum[0].expr: unknown rank variable 'q'") != std::string::npos);
    CHECK(r.out.empty());

    RunResult shape = run_einsim("eval fusemax --shape M=10,Z=3");
    CHECK(shape.code == 1);
    CHECK(shape.err.find("--shape: Z: unknown rank or parameter 'Z'") != std::string::npos);

    CHECK(run_einsim("eval no_such_cascade --shape M=1").code == 1);
    RunResult big = run_einsim("eval fusemax --shape M=1000000,P=100000,E=8,F=8");
    CHECK(big.code == 1);
    CHECK(big.err.find("the reference evaluator is for small shapes") != std::string::npos);
    CHECK(run_einsim("eval fusemax --shape M=1e15,P=1,E=8,F=8").code == 1);
    CHECK(run_einsim("frobnicate").code == 2);
    CHECK(run_einsim("check fusemax --format xml").code == 2);
    RunResult loose = run_einsim("eval deltallm --shape M=24,P=24,E=4,F=4,theta=0.3 --rho 0.9 --max-error 1e-6");
    CHECK(loose.code == 3);
}

TEST_CASE("einsim eval: seeds, correlation and error bars are checked before anything runs") {
    const std::string eval = "eval fusemax --shape M=64,P=64,E=8,F=8 ";
    const std::pair<std::string, std::string> cases[] = {
        {"--seed -1", "--seed: expected a whole number from 0 to 9223372036854775807, got '-1'"},
        {"--seed 99999999999999999999", "got '99999999999999999999'"},
        {"--rho nan", "--rho: expected a number from -1 to 1, got 'nan'"},
        {"--rho 1.5", "got '1.5'"},
        {"--max-error nan", "--max-error: expected a number >= 0, got 'nan'"},
    };
    for (const auto& [options, says] : cases) {
        INFO(options);
        RunResult r = run_einsim(eval + options);
        CHECK(r.code != 0);
        CHECK(r.out.empty());
        CHECK(r.err.find(says) != std::string::npos);
    }
    CHECK(run_einsim(eval + "--seed 9223372036854775807 --rho -0.5 --max-error 0.001").code == 0);
}

TEST_CASE("einsim map --format csv: one row of the search and the best mapping's metrics, as its JSON") {
    const std::string map = "map --cascade fusemax --arch cloud-fusemax --model bert-base --seq 1024 --max-evals 40 -j 1 --seed 3 ";
    RunResult c = run_einsim(map + "--format csv");
    RunResult j = run_einsim(map + "--format json");
    REQUIRE(c.code == 0);
    REQUIRE(j.code == 0);
    const json r = json::parse(j.out);
    const auto nl = c.out.find('\n');
    REQUIRE(nl != std::string::npos);
    const std::string header = c.out.substr(0, nl), row = c.out.substr(nl + 1);
    CHECK(header.rfind("objective,cascade,arch,shape,space_size,evaluated,legal,exhaustive,seconds,mappings_per_second,", 0) == 0);
    CHECK(header.find(",cycles,") != std::string::npos);
    CHECK(row.rfind("latency,fusemax,cloud-fusemax,", 0) == 0);
    // Cells, quotes respected (the shape is quoted: it holds commas).
    auto cells = [](const std::string& line) {
        std::vector<std::string> out(1);
        bool quoted = false;
        for (char ch : line) {
            if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) out.emplace_back();
            else if (ch != '\n') out.back() += ch;
        }
        return out;
    };
    const auto names = cells(header), values = cells(row);
    REQUIRE(names.size() == values.size());
    auto cell = [&](const std::string& name) { return values[std::size_t(std::find(names.begin(), names.end(), name) - names.begin())]; };
    CHECK(r["evaluated"] == 40);
    CHECK(cell("evaluated") == "40");
    CHECK(cell("shape") == "B=1,E=64,F=64,H=12,M=1024,M0=16,M1=64,P=1024");
    // The best mapping's cycles and energy, as the JSON reports them.
    CHECK(std::stod(cell("cycles")) == doctest::Approx(r["result"]["cycles"].get<double>()));
    CHECK(std::stod(cell("energy_pj")) == doctest::Approx(r["result"]["energy_pj"].get<double>()));
    CHECK(std::stod(cell("space_size")) == doctest::Approx(r["space_size"].get<double>()));
}
