// End-to-end: `einsim simulate` on GPU presets and `einsim compare decode`.
#include <doctest/doctest.h>

#include <map>

#include <nlohmann/json.hpp>
#include <sstream>

#include "run_einsim.h"

using nlohmann::json;

namespace {

std::vector<std::string> split(const std::string& line, char sep = ',') {
    std::vector<std::string> out;
    std::stringstream ss(line);
    std::string x;
    while (std::getline(ss, x, sep)) out.push_back(x);
    return out;
}

std::vector<std::vector<std::string>> csv_lines(const std::string& text) {
    std::vector<std::vector<std::string>> out;
    std::stringstream ss(text);
    std::string line;
    while (std::getline(ss, line))
        if (!line.empty()) out.push_back(split(line));
    return out;
}

} // namespace

TEST_CASE("einsim simulate on H100: LeanAttention's stream-K grid and its JSON keys") {
    RunResult r = run_einsim("simulate --arch h100 --cascade leanattention --shape B=1,H=32,HKV=32,E=128,F=128,M=65536,P=1 --format json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    json j = json::parse(r.out);
    for (const char* key : {"engine", "cascade", "arch", "problem", "mapping", "decomposition", "splits", "grid_ctas", "ctas_per_sm",
                            "occupancy_limit", "time_us", "achieved_gbps", "copy_fraction", "copy_bandwidth_measured", "compulsory_bytes",
                            "hbm_read_bytes", "hbm_write_bytes", "useful_flops", "issued_mma_flops", "sm_busy_fraction", "binding", "phases",
                            "kernels", "waves", "sm_busy", "shape", "gpu_mapping", "copy_bandwidth_gbps"})
        CHECK_MESSAGE(j.contains(key), key);
    CHECK(j["engine"] == "gpu-sm");
    CHECK(j["gpu_mapping"]["decomposition"] == "stream_k");
    CHECK(j["grid_ctas"] == j["ctas_per_sm"].get<int>() * 132);
    CHECK(j["sm_busy"].size() == 132);
    CHECK(j["kernels"].size() == 1);
    CHECK(j["compulsory_bytes"] == 2LL * 32 * 128 * 2 + 32LL * 65536 * 256 * 2); // Q and O, K and V
    double sum = 0;
    for (const auto& p : j["phases"]) sum += p["time_us"].get<double>();
    CHECK(sum == doctest::Approx(j["time_us"].get<double>()));
    CHECK(j["achieved_gbps"].get<double>() == doctest::Approx(j["compulsory_bytes"].get<double>() / j["time_us"].get<double>() / 1e3));
    CHECK(j["copy_fraction"].get<double>() <= 1.0);
}

TEST_CASE("einsim simulate: Hkv is accepted, --splits sets split-K's count and adds the combine kernel") {
    RunResult r = run_einsim("simulate --arch h100 --cascade flashdecoding --shape B=2,H=32,Hkv=8,E=128,F=128,M=8192,P=1 "
                             "--decomposition split_k --splits 4 --gqa-pack off --format json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    json j = json::parse(r.out);
    CHECK(j["shape"]["Hkv"] == 8);
    CHECK(j["splits"] == 4);
    CHECK(j["decomposition"] == "split_k(4)");
    CHECK(j["grid_ctas"] == 2 * 32 * 4);
    REQUIRE(j["kernels"].size() == 2);
    CHECK(j["kernels"][1]["name"] == "combine");
}

TEST_CASE("einsim simulate --decomposition auto reports the mapper's choice and the other decompositions") {
    RunResult r = run_einsim("simulate --arch a100 --cascade attention_1pass --shape B=1,H=8,E=128,F=128,M=131072,P=1 --decomposition auto --format json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    json j = json::parse(r.out);
    REQUIRE(j.contains("mapper"));
    CHECK(j["mapper"]["evaluated"].get<int>() > 10);
    CHECK(j["mapper"]["best_per_decomposition"].size() == 3);
    // The choice is the fastest of the candidates it reports.
    for (const auto& c : j["mapper"]["best_per_decomposition"]) CHECK(j["time_us"].get<double>() <= c["time_us"].get<double>() + 1e-9);
    CHECK(j["gpu_mapping"]["decomposition"] != "data_parallel"); // 8 CTAs cannot fill 108 SMs
}

TEST_CASE("einsim simulate on a GPU: table and CSV formats, and input errors") {
    RunResult t = run_einsim("simulate --arch a100 --cascade attention_1pass --shape B=1,H=32,E=64,F=64,M=4096,P=1");
    REQUIRE(t.code == 0);
    CHECK(t.out.find("binding:") != std::string::npos);
    CHECK(t.out.find("mapping fa2: data_parallel") != std::string::npos);
    RunResult c = run_einsim("simulate --arch a100 --cascade leanattention --shape B=1,H=32,E=64,F=64,M=4096,P=1 --format csv");
    REQUIRE(c.code == 0);
    auto lines = csv_lines(c.out);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0][0] == "cascade");
    CHECK(std::find(lines[0].begin(), lines[0].end(), "time_us") != lines[0].end());
    RunResult gemm = run_einsim("simulate --arch h100 --cascade gemm --shape M=4,N=4,K=4");
    CHECK(gemm.code == 1);
    CHECK(gemm.err.find("declares no [attention] roles") != std::string::npos);
    RunResult deadlock = run_einsim("simulate --arch h100 --cascade leanattention --shape B=1,H=4,E=64,F=64,M=4096,P=1 --ctas-per-sm 9");
    CHECK(deadlock.code == 1);
    CHECK(deadlock.err.find("only 2 fit") != std::string::npos);
    RunResult hkv = run_einsim("simulate --arch h100 --cascade flashdecoding --shape B=1,H=32,Hkv=5,E=64,F=64,M=4096,P=1");
    CHECK(hkv.code == 1);
}

TEST_CASE("einsim compare decode: one CSV row per point and kernel, speedups that grow with context") {
    RunResult r = run_einsim("compare decode --arch a100 --format csv --contexts 1024,65536,524288 --batch 1 --heads 32/32 --head-dim 128");
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto lines = csv_lines(r.out);
    REQUIRE(lines.size() == 1 + 3 * 3);
    const auto& head = lines[0];
    auto col = [&](const std::string& name) {
        auto it = std::find(head.begin(), head.end(), name);
        REQUIRE_MESSAGE(it != head.end(), name);
        return std::size_t(it - head.begin());
    };
    for (const char* name : {"decomposition", "B", "H", "Hkv", "E", "M", "time_us", "achieved_gbps", "speedup_vs_fa2", "speedup_vs_flashdecoding"})
        col(name);
    std::vector<double> la_speedup;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const auto& row = lines[i];
        if (row[col("kernel")] == "fa2") CHECK(row[col("decomposition")] == "data_parallel");
        if (row[col("kernel")] == "flashdecoding") CHECK(row[col("decomposition")].rfind("split_k", 0) == 0);
        if (row[col("kernel")] == "leanattention") {
            CHECK(row[col("decomposition")].rfind("stream_k", 0) == 0);
            la_speedup.push_back(std::stod(row[col("speedup_vs_fa2")]));
        }
    }
    REQUIRE(la_speedup.size() == 3);
    CHECK(la_speedup[0] > 1.0);
    CHECK(la_speedup[1] > la_speedup[0]);
    CHECK(la_speedup[2] >= la_speedup[1]);
}

TEST_CASE("einsim compare decode: LeanAttention's gain over FlashDecoding is bounded by FlashDecoding's headroom and explained") {
    RunResult r = run_einsim("compare decode --arch a100 --format csv --contexts 1024,4096,262144 --batch 1,16 --heads 32/32,64/8,20/20 --head-dim 64,128");
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto lines = csv_lines(r.out);
    const auto& head = lines[0];
    auto col = [&](const std::string& name) {
        auto it = std::find(head.begin(), head.end(), name);
        REQUIRE_MESSAGE(it != head.end(), name);
        return std::size_t(it - head.begin());
    };
    auto num = [&](const std::vector<std::string>& row, const char* name) { return std::stod(row[col(name)]); };
    std::map<std::string, std::vector<std::string>> fd;
    auto point = [&](const std::vector<std::string>& row) { return row[col("B")] + "," + row[col("H")] + "," + row[col("E")] + "," + row[col("M")]; };
    for (std::size_t i = 1; i < lines.size(); ++i)
        if (lines[i][col("kernel")] == "flashdecoding") fd[point(lines[i])] = lines[i];
    int checked = 0;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const auto& row = lines[i];
        if (row[col("kernel")] != "leanattention") continue;
        INFO(point(row));
        const auto& f = fd.at(point(row));
        // No kernel beats one launch and the compulsory bytes at the copy bandwidth.
        CHECK(num(row, "time_us") >= num(row, "floor_us") * (1 - 1e-9));
        CHECK(num(row, "speedup_vs_flashdecoding") <= num(f, "headroom") * (1 + 1e-9));
        // The saved time is FlashDecoding's second kernel plus the rest.
        CHECK(num(row, "saved_us") == doctest::Approx(num(f, "time_us") - num(row, "time_us")));
        CHECK(num(row, "saved_us") == doctest::Approx(num(row, "saved_combine_us") + num(row, "saved_split_us")));
        CHECK((num(f, "second_kernel_us") > 0) == (num(f, "splits") > 1)); // the combine runs only after a split
        CHECK(num(row, "second_kernel_us") == 0);
        // At 256K FlashDecoding streams at >= 90% of the copy bandwidth: little left to gain (B = 16:
        // its last wave of CTAs, each paced by its warps' chains, leaves HBM a little idle).
        if (row[col("M")] == "262144") {
            CHECK(num(f, "copy_fraction") > 0.9);
            CHECK(row[col("vs_flashdecoding")].rfind("FD at", 0) == 0);
            CHECK(num(row, "speedup_vs_flashdecoding") < 1.1);
        }
        checked++;
    }
    CHECK(checked == 3 * 2 * 3 * 2);
}

TEST_CASE("einsim compare decode: JSON rows and summaries; fewer batch x heads, larger speedup over FA-2") {
    RunResult r = run_einsim("compare decode --arch h100 --format json --contexts 131072 --batch 1,16 --heads 32/32 --head-dim 128 "
                             "--kernels fa2,flashdecoding,leanattention,sdpa");
    INFO(r.err);
    REQUIRE(r.code == 0);
    json j = json::parse(r.out);
    CHECK(j["arch"] == "h100");
    REQUIRE(j["rows"].size() == 2 * 4);
    for (const auto& row : j["rows"])
        for (const char* key : {"kernel", "decomposition", "B", "H", "Hkv", "E", "M", "time_us", "achieved_gbps", "speedup_vs_fa2"})
            CHECK_MESSAGE(row.contains(key), key);
    const json* la = nullptr;
    for (const auto& s : j["summary"])
        if (s["kernel"] == "leanattention" && s["baseline"] == "fa2") la = &s;
    REQUIRE(la != nullptr);
    const auto& by_bh = (*la)["by_batch_heads"];
    REQUIRE(by_bh.size() == 2);
    CHECK(by_bh[0]["batch_heads"] == 32);
    CHECK(by_bh[0]["mean"].get<double>() > by_bh[1]["mean"].get<double>());
    RunResult bad = run_einsim("compare decode --arch cloud");
    CHECK(bad.code == 1);
    CHECK(bad.err.find("needs a GPU architecture") != std::string::npos);
    RunResult heads = run_einsim("compare decode --arch a100 --heads 32/5");
    CHECK(heads.code == 1);
}

TEST_CASE("einsim simulate --cluster: a stream-K mapping's row blocks as thread-block clusters, and its errors") {
    // B = 1, 32/32 heads, E = 64, 1K: LeanAttention's mapping has 32 row blocks of 4 key tiles.
    const std::string shape = "simulate --arch h200 --cascade leanattention --shape B=1,H=32,HKV=32,E=64,F=64,M=1024,P=1 ";
    RunResult r = run_einsim(shape + "--cluster 2 --format json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    json j = json::parse(r.out);
    CHECK(j["gpu_mapping"]["cluster"] == 2);
    CHECK(j["grid_ctas"] == 64);
    CHECK(j["decomposition"] == "stream_k(64 CTAs, clusters of 2)");
    // Only the outputs are written (32 heads x 64 fp16 columns): no partials, and a push phase.
    CHECK(j["hbm_write_bytes"] == 32 * 64 * 2);
    bool push = false;
    for (const auto& p : j["phases"]) push = push || p["phase"] == "dsmem_push";
    CHECK(push);
    RunResult three = run_einsim(shape + "--cluster 3");
    CHECK(three.code == 1);
    CHECK(three.err.find("3 must divide a row block's 4 key tiles") != std::string::npos);
    CHECK(three.err.find("4 x 3 must divide F = 64") != std::string::npos);
    RunResult dp = run_einsim(shape + "--cluster 2 --decomposition data_parallel");
    CHECK(dp.code == 1);
    CHECK(dp.err.find("clusters apply to stream_k only (this mapping is data_parallel)") != std::string::npos);
    RunResult a100 = run_einsim("simulate --arch a100 --cascade leanattention --shape B=1,H=32,HKV=32,E=64,F=64,M=1024,P=1 --cluster 2");
    CHECK(a100.code == 1);
    CHECK(a100.err.find("this GPU has no thread-block clusters") != std::string::npos);
    CHECK(run_einsim(shape + "--cluster 17").code == 2);
}

TEST_CASE("einsim simulate refuses options that would be ignored, naming them") {
    const std::string gpu = "simulate --arch h200 --cascade attention_1pass --shape B=1,H=32,HKV=8,E=128,F=128,M=8192,P=1 ";
    const std::string spatial = "simulate --cascade fusemax --arch cloud-fusemax --mapping fusemax --model bert-base --seq 1024 ";
    struct Case {
        std::string command, says;
    } cases[] = {
        {spatial + "--trace t.json", "--trace applies to --engine systemc; cloud-fusemax is a spatial array"},
        {spatial + "--splits 3", "--splits applies to GPU architectures; cloud-fusemax is a spatial array"},
        {spatial + "--sparsity 0.5", "--sparsity applies to edge devices"},
        {spatial + "--shape M=5", "--shape M is already bound by --model bert-base"},
        {gpu + "--engine systemc", "--engine systemc simulates spatial arrays; h200 is a GPU"},
        {gpu + "--mapping fusemax", "--mapping maps spatial arrays"},
        {gpu + "--decomposition stream_k --policy fa2", "--policy fa2 chooses its own decomposition: drop --decomposition stream_k"},
        {gpu + "--decomposition data_parallel --splits 4", "splits apply to split_k only (this mapping is data_parallel)"},
        {gpu + "--decomposition split_k --ctas-per-sm 2", "CTAs per SM apply to stream_k only (this mapping is split_k)"},
        {"simulate --arch h200 --cascade attention_1pass --seq 1024 --shape B=1,H=32,E=128,F=128,M=8192,P=1", "--seq applies with --model"},
        {"simulate --arch h100 --cascade flashdecoding --shape B=1,H=32,Hkv=8,HKV=4,E=128,F=128,M=4096,P=1", "the key/value heads are given twice, as Hkv and HKV"},
        {gpu + "--set sm_count=132 --set sm_count=132", "--set gives sm_count twice"},
        {gpu + "--trace ''", "--trace was given an empty value"},
        {"compare decode --arch h100 --kernels fa2,fa2", "--kernels lists fa2 twice"},
        {"compare decode --arch h100 --heads 32,32/32", "--heads lists 32/32 twice (as 32)"},
    };
    for (const Case& c : cases) {
        INFO(c.command);
        RunResult r = run_einsim(c.command);
        CHECK(r.code == 1);
        CHECK(r.out.empty());
        CHECK(r.err.find(c.says) != std::string::npos);
    }
    // A decode step over a model's heads: --shape may set P beside --model and --seq (M = seq).
    RunResult step = run_einsim("simulate --cascade leanattention --arch h200 --model llama-3-8b --seq 65536 --shape P=1 --format json");
    REQUIRE(step.code == 0);
    CHECK(json::parse(step.out)["shape"]["P"] == 1);
    CHECK(json::parse(step.out)["shape"]["M"] == 65536);
    // What does apply still runs: --splits with split_k, with auto (the search's split-K count) and with a policy's pick.
    CHECK(run_einsim(gpu + "--decomposition split_k --splits 4").code == 0);
    CHECK(run_einsim(gpu + "--decomposition auto --splits 4").code == 0);
    CHECK(run_einsim(spatial + "--engine systemc --dram-latency-ns 200").code == 0);
}

TEST_CASE("einsim compare decode: the time saved over FlashDecoding in microseconds adds up to the rows' savings") {
    // H100, B = 1, 32/32, E = 128, 1K: LeanAttention's one kernel is slower than FlashDecoding's split
    // kernel, and gains only by skipping the combine (a share above 100%, the other below 0).
    RunResult r = run_einsim("compare decode --arch h100 --contexts 1024,65536 --batch 1 --heads 32/32 --head-dim 128 --format json");
    REQUIRE(r.code == 0);
    const json j = json::parse(r.out);
    double combine = 0, split = 0;
    for (const auto& row : j["rows"])
        if (row["kernel"] == "leanattention" && row["saved_us"].get<double>() > 0)
            combine += row["saved_combine_us"].get<double>(), split += row["saved_split_us"].get<double>();
    bool found = false;
    for (const auto& s : j["summary"])
        if (s["kernel"] == "leanattention" && s["baseline"] == "flashdecoding") {
            found = true;
            CHECK(s["saved_combine_us"].get<double>() == doctest::Approx(combine));
            CHECK(s["saved_split_us"].get<double>() == doctest::Approx(split));
            CHECK(s["saved_combine_share"].get<double>() == doctest::Approx(combine / (combine + split)));
        }
    CHECK(found);
    RunResult t = run_einsim("compare decode --arch h100 --contexts 1024 --batch 1 --heads 32/32 --head-dim 128");
    CHECK(t.out.find("time saved over flashdecoding (where it saves): ") != std::string::npos);
    CHECK(t.out.find(" us (") != std::string::npos);
}
