#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "einsum/npy.h"
#include "tests/cli/run_einsim.h"

using json = nlohmann::json;

namespace {

std::string out_dir() {
    auto dir = std::filesystem::path(EINSIM_BINARY_DIR) / "tests" / "cli" / "sparsity";
    std::filesystem::create_directories(dir);
    return dir.string();
}

json run_json(const std::string& args) {
    RunResult r = run_einsim(args + " --format json");
    INFO(args << "\n" << r.err);
    REQUIRE(r.code == 0);
    return json::parse(r.out);
}

} // namespace

TEST_CASE("einsim sparsity is exact at theta 0, through prefill and decode") {
    json j = run_json("sparsity --theta 0 --window 4 --input synth:rho=0.9,seed=3 --shape H=2,M=40,E=8,F=8 --decode-steps 8");
    CHECK(j["cascade"] == "deltallm");
    CHECK(j["decode_cascade"] == "deltallm_decode");
    CHECK(j["shape"] == "B=1,H=2,E=8,F=8,N=40");
    CHECK(j["tokens"] == 40);
    CHECK(j["sparsity"].get<double>() == 0.0);
    CHECK(j["mac_skip_fraction"].get<double>() == 0.0);
    CHECK(j["max_rel_error"].get<double>() < 1e-12);
    CHECK(j["prefill"]["tokens"] == 32);
    CHECK(j["decode"]["tokens"] == 8);
    // Every query channel has a delta entry: 2 heads x 8 channels x 40 tokens.
    CHECK(j["delta_elements"] == 2 * 8 * 40);
}

TEST_CASE("einsim sparsity reports more sparsity and more error as the threshold grows") {
    json j = run_json("sparsity --input synth:rho=0.95 --shape M=64,E=16,F=16 --decode-steps 16 --sweep-theta 0,0.1,0.2,0.3 --sweep-window 4,16");
    REQUIRE(j["sweep"].size() == 8);
    for (int w = 0; w < 2; ++w) {
        double sparsity = -1, error = -1;
        for (int t = 0; t < 4; ++t) {
            const json& p = j["sweep"][w * 4 + t];
            INFO(p.dump());
            CHECK(p["W"] == (w == 0 ? 4 : 16));
            CHECK(p["sparsity"].get<double>() > sparsity);
            CHECK(p["max_rel_error"].get<double>() > error);
            // Only the delta-coded products can be skipped, so fewer MACs than zero deltas.
            CHECK(p["mac_skip_fraction"].get<double>() <= p["sparsity"].get<double>());
            CHECK(p["skipped_macs"].get<double>() <= p["macs"].get<double>());
            sparsity = p["sparsity"].get<double>();
            error = p["max_rel_error"].get<double>();
        }
    }
    // The window does not change which deltas are zero, only which products use them.
    CHECK(j["sweep"][3]["sparsity"] == j["sweep"][7]["sparsity"]);
    CHECK(j["sweep"][3]["mac_skip_fraction"].get<double>() > j["sweep"][7]["mac_skip_fraction"].get<double>());
}

TEST_CASE("a sparsity sweep's CSV and the edge model's granularity CSV make one einsim report") {
    const std::string d = out_dir();
    RunResult sweep = run_einsim("sparsity --input synth:rho=0.95 --shape M=32,E=8,F=8 --decode-steps 4 --sweep-theta 0,0.2 --sweep-window 2,32 --format csv");
    INFO(sweep.err);
    REQUIRE(sweep.code == 0);
    CHECK(sweep.out.rfind("cascade,input,shape,decode_steps,block_elements,theta,W,stage,tokens,sparsity,block_sparsity,mac_skip_fraction,"
                          "max_rel_error,rms_rel_error\n",
                          0) == 0);
    CHECK(sweep.out.find("\ndeltallm,synth rho=0.95 seed=1,\"B=1,H=1,E=8,F=8,N=32\",4,1,0.2,2,decode,4,") != std::string::npos);
    std::ofstream(d + "/sweep.csv") << sweep.out;
    RunResult blocks = run_einsim("simulate --arch edge-cpu --cascade deltallm --shape H=2,E=8,F=8,M=64,W=4 --sparsity 0.6 --sweep-block 1,4 --format csv");
    INFO(blocks.err);
    REQUIRE(blocks.code == 0);
    CHECK(blocks.out.find(",block_elements,block_skip_probability,kv_block_skip_probability,prefill_speedup,prefill_energy_ratio,decode_speedup,"
                          "decode_energy_ratio,prefill_pays,decode_pays\n") != std::string::npos);
    CHECK(blocks.out.find("\nedge-cpu,custom,deltallm,fp16,2,2,8,1,64,64,4,0.6,given,4,0.1296,") != std::string::npos);
    std::ofstream(d + "/blocks.csv") << blocks.out;

    const std::string html = d + "/tradeoff.html";
    std::filesystem::remove(html);
    RunResult r = run_einsim("report " + d + "/sweep.csv " + d + "/blocks.csv -o " + html + " --format json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    json j = json::parse(r.out);
    CHECK(j["plots"] == 6); // sparsity, error, trade-off, prefill vs decode; speedup and energy against the block
    CHECK(j["rows"] == 2 * 2 * 3 + 2);
    CHECK(j["notes"][0].get<std::string>().rfind("At θ = 0 (6 rows): largest max relative error ", 0) == 0);
    CHECK(j["notes"][0].get<std::string>().find("exact attention up to rounding") != std::string::npos);
    CHECK(j["notes"][1].get<std::string>().find("covering every key (3 rows)") != std::string::npos);
    CHECK(std::filesystem::exists(d + "/tradeoff.md"));

    // A sweep does not mix with result CSVs, and takes no baseline.
    std::ofstream(d + "/results.csv") << "model,M,design,status\nbert,1024,flat,ok\n";
    RunResult mixed = run_einsim("report " + d + "/sweep.csv " + d + "/results.csv -o " + d + "/mixed.html");
    CHECK(mixed.code == 1);
    CHECK(mixed.err.find(d + "/sweep.csv:1: a DeltaLLM sweep (einsim sparsity or --sweep-block) cannot share a report with result CSVs") !=
          std::string::npos);
    CHECK(run_einsim("report " + d + "/sweep.csv --baseline flat -o " + d + "/b.html").code == 2);
}

TEST_CASE("einsim sparsity reads the user's tensors from npy files") {
    std::mt19937_64 rng(9);
    std::uniform_real_distribution<double> u(-1, 1);
    einsum::Tensor q({1, 2, 4, 12}), k({1, 1, 4, 12}), v({1, 1, 3, 12});
    for (auto* t : {&q, &k, &v})
        for (auto& x : t->data) x = u(rng);
    const std::string d = out_dir();
    einsum::write_npy(d + "/q.npy", q, einsum::NpyType::float32);
    einsum::write_npy(d + "/k.npy", k);
    einsum::write_npy(d + "/v.npy", v);
    // Two query heads share one key/value head (grouped-query attention).
    json j = run_json("sparsity --theta 0 --window 2 --decode-steps 4 --input npy:" + d + "/q.npy," + d + "/k.npy," + d + "/v.npy");
    CHECK(j["shape"] == "B=1,H=2,E=4,F=3,N=12");
    CHECK(j["max_rel_error"].get<double>() < 1e-12);
    CHECK(j["delta_elements"] == 2 * 4 * 12);

    std::ofstream(d + "/bad.npy") << "PK not numpy";
    RunResult bad = run_einsim("sparsity --input npy:" + d + "/q.npy," + d + "/k.npy," + d + "/bad.npy");
    CHECK(bad.code == 1);
    CHECK(bad.err.find(d + "/bad.npy: magic: not a .npy file") != std::string::npos);
    einsum::write_npy(d + "/k3.npy", einsum::Tensor({4, 12}));
    RunResult flat = run_einsim("sparsity --input npy:" + d + "/q.npy," + d + "/k3.npy," + d + "/v.npy");
    CHECK(flat.code == 1);
    CHECK(flat.err.find(d + "/k3.npy: header.shape: expected 4 dimensions for K [B,Hkv,E,N], got 2") != std::string::npos);
}

TEST_CASE("einsim sparsity refuses bad options with a message") {
    RunResult kind = run_einsim("sparsity --input random:3");
    CHECK(kind.code == 1);
    CHECK(kind.err.find("--input: unknown input 'random:3'") != std::string::npos);
    RunResult rho = run_einsim("sparsity --input synth:rho=abc");
    CHECK(rho.code == 1);
    CHECK(rho.err.find("'abc' is not a number") != std::string::npos);
    RunResult list = run_einsim("sparsity --sweep-theta 0,x");
    CHECK(list.code == 1);
    CHECK(list.err.find("--sweep-theta: 'x' is not a number") != std::string::npos);
    RunResult dense = run_einsim("sparsity --cascade fusemax");
    CHECK(dense.code == 1);
    CHECK(dense.err.find("no thresholded delta tensor") != std::string::npos);
    CHECK(run_einsim("sparsity --decode-steps 300 --shape M=16,E=4,F=4").code == 1);
    RunResult theta = run_einsim("sparsity --theta -0.1");
    CHECK(theta.code == 1);
    CHECK(theta.err.find("--theta: a threshold is a non-negative number") != std::string::npos);
    RunResult sweep = run_einsim("sparsity --sweep-theta 0,-1");
    CHECK(sweep.code == 1);
    CHECK(sweep.err.find("--sweep-theta: a threshold is a non-negative number (|change| > theta is kept), got -1") != std::string::npos);
    RunResult block = run_einsim("sparsity --block 0");
    CHECK(block.code == 2);
    CHECK(block.err.find("a skip block holds a whole number of elements, at least 1; got 0") != std::string::npos);
    RunResult scale = run_einsim("sparsity --input synth:rho=0.9,scale=0");
    CHECK(scale.code == 1);
    CHECK(scale.err.find("--input: scale must be a positive number, got 0") != std::string::npos);
}

TEST_CASE("synth:scale folds a softmax scale into K: the deltas do not change, the scores do") {
    json plain = run_json("sparsity --theta 0.2 --window 2 --input synth:rho=0.95 --shape M=32,E=16,F=8");
    json scaled = run_json("sparsity --theta 0.2 --window 2 --input synth:rho=0.95,scale=0.25 --shape M=32,E=16,F=8");
    CHECK(scaled["input"] == "synth rho=0.95 seed=1 scale=0.25");
    CHECK(scaled["delta_zeros"] == plain["delta_zeros"]);
    CHECK(scaled["skipped_macs"] == plain["skipped_macs"]);
    // Scores four times closer together: the same query error moves the softmax less.
    CHECK(scaled["rms_rel_error"].get<double>() < plain["rms_rel_error"].get<double>());
    CHECK(run_json("sparsity --theta 0 --window 2 --input synth:rho=0.95,scale=0.25 --shape M=32,E=16,F=8")["max_rel_error"].get<double>() < 1e-12);
}

TEST_CASE("einsim simulate compares dense and DeltaLLM attention on the edge presets") {
    // H = 2 heads, E = F = 8, a 16-token prompt: causal prefill has 16 x 17 / 2 = 136 pairs, so the
    // dense prefill does 2 x (8 + 8) x 136 MACs; one decode step at context 16 does 2 x 16 x 16.
    json j = run_json("simulate --arch edge-npu --cascade deltallm --shape H=2,E=8,F=8,M=16,W=4 --sparsity 0.5 --set sparsity.block_elements=1");
    CHECK(j["arch"] == "edge-npu");
    CHECK(j["device"] == "npu");
    CHECK(j["window"] == 4);
    CHECK(j["block_elements"] == 1);
    CHECK(j["block_skip_probability"].get<double>() == 0.5);
    CHECK(j["prefill"]["dense"]["macs"].get<double>() == 2 * 16 * 136);
    CHECK(j["decode"]["dense"]["macs"].get<double>() == 2 * 16 * 16);
    // 12 x 13 / 2 = 78 pairs lie outside the window, 12 of them keys just leaving it: half the
    // E MACs of the other 66 are skipped.
    CHECK(j["prefill"]["deltallm"]["skipped_macs"].get<double>() == 2 * 8 * 66 * 0.5);
    for (const char* stage : {"prefill", "decode"}) {
        const json& s = j[stage];
        CHECK(s["speedup"].get<double>() == doctest::Approx(s["dense"]["time_s"].get<double>() / s["deltallm"]["time_s"].get<double>()));
        CHECK(s["energy_ratio"].get<double>() == doctest::Approx(s["deltallm"]["energy_pj"].get<double>() / s["dense"]["energy_pj"].get<double>()));
        CHECK(s["deltallm"]["state_bytes"].get<double>() > 0);
    }

    // Coarser skip blocks never help: the gain falls as the block grows.
    json g = run_json("simulate --arch edge-cpu --cascade deltallm --model llama-3.2-1b --seq 512 --shape W=16 --sparsity 0.6 --sweep-block 1,2,4,8,16");
    REQUIRE(g["granularity"].size() == 5);
    CHECK(g["layers"] == 16);
    CHECK(g["kv_heads"] == 8);
    for (std::size_t i = 1; i < 5; ++i) {
        CHECK(g["granularity"][i]["block_skip_probability"].get<double>() < g["granularity"][i - 1]["block_skip_probability"].get<double>());
        CHECK(g["granularity"][i]["prefill_speedup"].get<double>() < g["granularity"][i - 1]["prefill_speedup"].get<double>());
    }
    CHECK(g["granularity"][0]["prefill_speedup"].get<double>() > 1.0);
    CHECK(g["granularity"][4]["prefill_speedup"].get<double>() < 1.0);

    RunResult both = run_einsim("simulate --arch edge-npu --cascade deltallm --shape M=64 --sparsity 0.5 --sparsity-input synth:rho=0.9");
    CHECK(both.code == 1);
    CHECK(both.err.find("give exactly one of --sparsity") != std::string::npos);
    RunResult dense = run_einsim("simulate --arch edge-npu --cascade fusemax --shape M=64 --sparsity 0.5");
    CHECK(dense.code == 1);
    CHECK(dense.err.find("has no thresholded delta tensor") != std::string::npos);
    RunResult text = run_einsim("simulate --arch edge-cpu --cascade deltallm --shape H=2,E=64,F=64,M=256 --sparsity-input synth:rho=0.95 --measure-shape E=64,F=64,M=48");
    INFO(text.err);
    CHECK(text.code == 0);
    CHECK(text.out.find("(measured (synth rho=0.95 seed=1, B=1,H=1,E=64,F=64,N=48))") != std::string::npos);
    CHECK(text.out.find("prefill: speedup") != std::string::npos);
}
