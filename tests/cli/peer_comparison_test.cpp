// einsim gpu-compare: our measured kernels against PyTorch's SDPA backends of the same run —
// speedups, bandwidth and the three targets computed by hand on made-up rows, located errors on
// bad input, and the command end to end (files, --check's exit code).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/gpu_validation.h"
#include "cli/job_filter.h"
#include "cli/peer_comparison.h"
#include "einsum/input_error.h"
#include "reports/located_csv.h"
#include "run_einsim.h"
#include "temp_files.h"

using namespace cli;

namespace {

std::string temp_path(const std::string& name) { return test_temp_path("peer_tmp", name); }
std::string write(const std::string& name, const std::string& text) { return write_test_file("peer_tmp", name, text); }

const std::string header = "job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm,warps,grid_ctas,gpu,sm_count,"
                           "time_us,time_us_min,time_us_max,runs,bytes,achieved_gbps,max_rel_error,status,message\n";

// A row as einsim-gpu or sdpa_peer.py writes it: B = 1, 32/32 heads, E = F = 128, M keys.
std::string row(const std::string& id, const std::string& decomposition, long long b, long long m, double us, const std::string& status = "ok") {
    return id + ",decode," + decomposition + ",fp16," + std::to_string(b) + ",32,32,128,128," + std::to_string(m) +
           ",1,0,128,0,1,8,128,NVIDIA H200,132," + std::to_string(us) + ",0,0,20,0,0,4e-04," + status + ",\"\"\n";
}

// Q, K, V and O of B x 32 heads, E = F = 128, M keys, one query, fp16.
double bytes(long long b, long long m) { return double(b) * 32 * (m * 256 + 256) * 2; }

// Three stream-K jobs: short (B = 1, 4K), long (B = 1, 64K), and B = 4, 4K (in neither set).
const std::string ours_text = header + row("s", "stream_k", 1, 4096, 20.0) + row("l", "stream_k", 1, 65536, 300.0) +
                              row("b4", "stream_k", 4, 4096, 50.0) + row("s_dp", "data_parallel", 1, 4096, 40.0);
const std::string peers_text = header + row("s", "torch_flash", 1, 4096, 30.0) + row("s", "torch_cudnn", 1, 4096, 19.0) +
                               row("l", "torch_flash", 1, 65536, 330.0) + row("l", "torch_cudnn", 1, 65536, 315.0) +
                               row("b4", "torch_flash", 4, 4096, 60.0) + row("b4", "torch_cudnn", 4, 4096, 0.0, "error");

std::vector<MeasuredRow> parse(const std::string& text, const std::string& name) {
    return read_measured(reports::parse_located_csv(text, name));
}

PeerTargets issue_targets() {
    PeerTargets t;
    t.short_set = parse_job_filter("B=1,M<=16384", "--short");
    t.long_set = parse_job_filter("M>=65536", "--long");
    return t;
}

} // namespace

TEST_CASE("compare_with_peers: speedups, bandwidth and targets by hand") {
    const double copy = 3921;
    PeerComparison c = compare_with_peers(parse(ours_text, "ours.csv"), parse(peers_text, "peers.csv"), "stream_k", copy, issue_targets());
    REQUIRE(c.jobs.size() == 3);
    CHECK(c.peers == std::vector<std::string>{"torch_cudnn", "torch_flash"});
    REQUIRE(c.skipped.size() == 1); // the data-parallel row
    CHECK(c.skipped[0].job_id == "s_dp");

    const PeerComparedJob& s = c.jobs[0];
    CHECK(s.best_peer == "torch_cudnn");
    CHECK(s.speedup_vs_best == doctest::Approx(19.0 / 20.0));
    CHECK(s.gb_per_s == doctest::Approx(bytes(1, 4096) / 20e3));
    CHECK(s.copy_fraction == doctest::Approx(bytes(1, 4096) / 20e3 / copy));
    CHECK(s.in_short);
    CHECK_FALSE(s.in_long);
    const PeerComparedJob& b4 = c.jobs[2];
    CHECK(b4.best_peer == "torch_flash"); // cuDNN's row failed: the best of what ran
    CHECK(b4.peer_us.size() == 1);
    CHECK_FALSE(b4.in_short);
    CHECK_FALSE(b4.in_long);

    CHECK(c.geomean_vs_best == doctest::Approx(std::cbrt(19.0 / 20 * 315.0 / 300 * 60.0 / 50)));
    CHECK(c.vs_peer.at("torch_cudnn").geomean == doctest::Approx(std::sqrt(19.0 / 20 * 315.0 / 300)));
    CHECK(c.vs_peer.at("torch_flash").min == doctest::Approx(330.0 / 300));
    CHECK(c.vs_peer.at("torch_flash").max == doctest::Approx(30.0 / 20));
    // Every job at least 0.95x the best: 0.95 meets it (19/20), all three met.
    CHECK(c.all.jobs == 3);
    CHECK(c.all.met == 3);
    CHECK(c.all.min == doctest::Approx(0.95));
    // Short jobs at least 1.3x the best: the one short job is at 0.95, missed; against flash 1.5, met.
    CHECK(c.short_jobs.jobs == 1);
    CHECK(c.short_jobs.met == 0);
    REQUIRE(c.short_jobs.missed.size() == 1);
    CHECK(c.short_jobs.missed[0].first == "s");
    CHECK(c.short_vs_peer.at("torch_flash").met == 1);
    CHECK(c.short_vs_peer.at("torch_cudnn").met == 0);
    // Long jobs at 90% of copy: 64K at 300 us.
    CHECK(c.long_jobs.jobs == 1);
    CHECK(c.long_jobs.met == 1); // 1.074 GB in 300 us: 3579 GB/s, 0.913 of 3921
    CHECK(c.long_jobs.min == doctest::Approx(bytes(1, 65536) / 300e3 / copy));

    // A stricter bar, 1.1x: the short (0.95) and long (1.05) jobs miss it, listed lowest first.
    PeerTargets strict = issue_targets();
    strict.min_speedup = 1.1;
    PeerComparison c2 = compare_with_peers(parse(ours_text, "ours.csv"), parse(peers_text, "peers.csv"), "stream_k", copy, strict);
    CHECK(c2.all.met == 1);
    REQUIRE(c2.all.missed.size() == 2);
    CHECK(c2.all.missed[0].first == "s");
    CHECK(c2.all.missed[1].first == "l");
    // A short set no job is in: no jobs, nothing missed, no range (null in the JSON).
    PeerTargets none = issue_targets();
    none.short_set = parse_job_filter("B=64", "--short");
    PeerComparison c3 = compare_with_peers(parse(ours_text, "ours.csv"), parse(peers_text, "peers.csv"), "stream_k", copy, none);
    CHECK(c3.short_jobs.jobs == 0);
    CHECK(c3.short_jobs.missed.empty());
    CHECK(std::isnan(c3.short_jobs.min));
    CHECK(peer_summary_json(c3, none)["short_speedup_vs_best"]["min"].is_null());

    // The CSV: one row a job, a column per backend.
    std::string csv = peer_comparison_csv(c);
    CHECK(csv.find("torch_cudnn_us,torch_flash_us,best_peer,best_peer_us,speedup_vs_best,speedup_vs_torch_cudnn,speedup_vs_torch_flash") != std::string::npos);
    CHECK(csv.find("s,stream_k,decode,fp16,1,32,32,128,128,4096,1,128,8,1,128,0,20.000,19.000,30.000,torch_cudnn,19.000,0.9500,0.9500,1.5000") !=
          std::string::npos);
    // Each row carries the targets it was held to: the speedup, and the copy fraction in the long set.
    CHECK(csv.find(",in_short,in_long,target_speedup,target_copy_fraction\n") != std::string::npos);
    CHECK(csv.find(",1,0,0.9500,\n") != std::string::npos);     // s: short, not long
    CHECK(csv.find(",0,1,0.9500,0.9000\n") != std::string::npos); // l: long
    nlohmann::json j = peer_summary_json(c, issue_targets());
    CHECK(j["short_speedup_vs_best"]["set"] == "B=1,M<=16384");
    CHECK(j["short_speedup_vs_best"]["missed"][0]["job_id"] == "s");
    CHECK(j["speedup_vs_best"]["met"] == 3);
}

TEST_CASE("compare_with_peers: bad input is located") {
    auto ours = parse(ours_text, "ours.csv");
    auto peers = parse(peers_text, "peers.csv");
    auto run = [&](const std::vector<MeasuredRow>& o, const std::vector<MeasuredRow>& p) {
        return compare_with_peers(o, p, "stream_k", 3921, issue_targets());
    };
    // A backend measured twice for one job.
    auto twice = peers;
    twice.push_back(peers[0]);
    twice.back().line = 9;
    CHECK_THROWS_WITH_AS(run(ours, twice), doctest::Contains("peers.csv:9:1: job 's' (torch_flash) measured twice: also at peers.csv:2"), reports::CsvError);
    // A backend row of another problem under the same id.
    auto other = peers;
    other[1].job.M = 8192;
    CHECK_THROWS_WITH_AS(run(ours, other), doctest::Contains("peers.csv:3:1: job 's': M = 8192 but ours.csv:2 (stream_k) has 4096"), reports::CsvError);
    // The files swapped: PyTorch's rows given as ours, ours as peers.
    CHECK_THROWS_WITH_AS(run(peers, ours), doctest::Contains("ours.csv:2:1: job 's': decomposition 'stream_k' is not a PyTorch backend"),
                         reports::CsvError);
    CHECK_THROWS_WITH_AS(run(peers, peers), doctest::Contains("peers.csv:2:1: job 's': 'torch_flash' is a PyTorch backend"), reports::CsvError);
    // Nothing to compare: no backend ran any of the jobs.
    CHECK_THROWS_AS(run(ours, {}), einsum::InputError);
    // Our row failed: skipped with its status.
    auto failed = ours;
    failed[0].status = "wrong";
    PeerComparison c = run(failed, peers);
    CHECK(c.jobs.size() == 2);
    CHECK(std::any_of(c.skipped.begin(), c.skipped.end(), [](const SkippedJob& s) { return s.job_id == "s" && s.reason.rfind("status wrong", 0) == 0; }));
}

TEST_CASE("einsim gpu-compare end to end: table, files, --check, located errors") {
    const std::string ours = write("ours.csv", ours_text), peers = write("peers.csv", peers_text);
    const std::string out = temp_path("compare.csv"), summary = temp_path("compare.json");
    std::filesystem::remove(out);
    std::filesystem::remove(summary);
    RunResult r = run_einsim("gpu-compare --measured " + ours + " --peers " + peers + " --out " + out + " --summary " + summary);
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("at least 0.95x the best backend: 3 of 3") != std::string::npos);
    CHECK(r.out.find("short jobs (B=1,M<=16384), at least 1.30x the best backend: 0 of 1") != std::string::npos);
    CHECK(r.out.find("copy bandwidth (3921 GB/s, h200)") != std::string::npos); // the preset from the gpu column
    nlohmann::json j = nlohmann::json::parse(read_test_file(summary));
    CHECK(j["arch"] == "h200");
    CHECK(j["jobs"] == 3);
    CHECK(j["geomean_speedup_vs_best"].get<double>() == doctest::Approx(std::cbrt(19.0 / 20 * 315.0 / 300 * 60.0 / 50)));
    CHECK(read_test_file(out).rfind("job_id,decomposition,", 0) == 0);

    // --check: a missed target exits 3 (the short job's 1.3x), the results still printed.
    RunResult check = run_einsim("gpu-compare --check --measured " + ours + " --peers " + peers);
    CHECK(check.code == 3);
    RunResult met = run_einsim("gpu-compare --check --short-speedup 0.9 --measured " + ours + " --peers " + peers + " --format json");
    CHECK(met.code == 0);
    CHECK(nlohmann::json::parse(met.out)["short_speedup_vs_best"]["met"] == 1);

    // Bad input: a located error, exit 1, no file written.
    std::filesystem::remove(out);
    RunResult bad_set = run_einsim("gpu-compare --measured " + ours + " --peers " + peers + " --short 'B=1,Q<=4' --out " + out);
    CHECK(bad_set.code == 1);
    INFO(bad_set.err);
    CHECK(bad_set.err.find("--short") != std::string::npos);
    CHECK(bad_set.err.find("unknown key 'Q'") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
    RunResult bad_d = run_einsim("gpu-compare --measured " + ours + " --peers " + peers + " --decomposition stream-k");
    CHECK(bad_d.code == 1);
    CHECK(bad_d.err.find("unknown decomposition 'stream-k'") != std::string::npos);
    RunResult no_copy = run_einsim("gpu-compare --measured " + ours + " --peers " + peers + " --set hbm.copy_bandwidth_gb_per_s=0");
    CHECK(no_copy.code == 1);
    CHECK(no_copy.err.find("copy_bandwidth_gb_per_s") != std::string::npos);
    RunResult bad_bar = run_einsim("gpu-compare --measured " + ours + " --peers " + peers + " --min-speedup -1");
    CHECK(bad_bar.code == 1);
    CHECK(bad_bar.err.find("--min-speedup must be a positive number") != std::string::npos);
    RunResult bad_cell = run_einsim("gpu-compare --measured " + ours + " --peers " + write("bad_m.csv", header + "s,decode,torch_flash,fp16,1,32,32,128,128,4k,1,0,0,0,0,0,0,NVIDIA H200,132,30,0,0,20,0,0,4e-04,ok,\n"));
    CHECK(bad_cell.code == 1);
    CHECK(bad_cell.err.find("bad_m.csv:2:") != std::string::npos);
    CHECK(bad_cell.err.find("column 'M': expected an integer, got '4k'") != std::string::npos);
}

namespace {
// einsim-gpu bench --only floor's rows: 1 MiB in 4 us, 2 MiB in 5 us, 4 MiB in 7 us (out of order,
// with another bench's row among them).
const std::string floor_header = "name,value,unit,gpu,sm_count,detail\n";
const std::string floor_text = floor_header + "read_floor_us_2MiB,5,us,NVIDIA H200,132,x\n" + "read_floor_rate_2MiB,419.4,GB/s,NVIDIA H200,132,x\n" +
                               "read_floor_us_1MiB,4,us,NVIDIA H200,132,x\n" + "copy_bandwidth,3916,GB/s,NVIDIA H200,132,x\n" +
                               "read_floor_us_4MiB,7,us,NVIDIA H200,132,\"a, b\"\n";
constexpr double MiB = 1024.0 * 1024.0;
} // namespace

TEST_CASE("read floor: parsed from einsim-gpu bench's CSV, interpolated by bytes") {
    const ReadFloor f = read_floor_csv(write("floor.csv", floor_text));
    REQUIRE(f.points.size() == 3);
    CHECK(f.points.front().first == MiB);
    CHECK(read_floor_us(f, 0.25 * MiB) == 4);            // below the smallest: its time
    CHECK(read_floor_us(f, 1.5 * MiB) == doctest::Approx(4.5));
    CHECK(read_floor_us(f, 3 * MiB) == doctest::Approx(6));
    CHECK(read_floor_us(f, 4 * MiB) == doctest::Approx(7));
    CHECK(read_floor_us(f, 8 * MiB) == doctest::Approx(11)); // past the largest: 2 us a 2 MiB, as the last two

    // Bad files: located at the cell.
    auto fails = [](const std::string& name, const std::string& text) {
        try {
            read_floor_csv(write(name, text));
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(fails("f1.csv", floor_text + "read_floor_us_8KiB,1,us,g,1,\n").find("f1.csv:7:1: 'read_floor_us_8KiB': expected read_floor_us_<N>MiB") !=
          std::string::npos);
    CHECK(fails("f2.csv", floor_text + "read_floor_us_8MiB,9,ms,g,1,\n").find("f2.csv:7:22: 'read_floor_us_8MiB' has unit 'ms', expected us") !=
          std::string::npos);
    CHECK(fails("f3.csv", floor_text + "read_floor_us_8MiB,-2,us,g,1,\n").find("f3.csv:7:20: 'read_floor_us_8MiB': value '-2' is not a positive number") !=
          std::string::npos);
    CHECK(fails("f4.csv", floor_text + "read_floor_us_2MiB,5.5,us,g,1,\n").find("f4.csv:7:1: 'read_floor_us_2MiB' given twice") != std::string::npos);
    CHECK(fails("f5.csv", floor_header + "read_floor_us_2MiB,5,us,g,1,\n").find("fewer than two read_floor_us") != std::string::npos);
    CHECK(fails("f6.csv", "a,b\n1,2\n").find("f6.csv:1:1: expected einsim-gpu bench's columns") != std::string::npos);
}

TEST_CASE("gpu-compare --floor: each job beside a pure read of its bytes") {
    // One job whose compulsory bytes are 3 MiB: the floor there is 6 us; ours 8 us, the backend 7.5.
    const long long m = 3 * 1024 * 1024 / (32 * 256 * 2) - 1; // B = 1, 32 heads: 32 x (M + 1) x 256 x 2 bytes
    REQUIRE(bytes(1, m) == 3 * MiB);
    const std::string ours = write("f_ours.csv", header + row("j", "stream_k", 1, m, 8.0));
    const std::string peers = write("f_peers.csv", header + row("j", "torch_cudnn", 1, m, 7.5));
    PeerComparison c = compare_with_peers(read_measured_files({ours}), read_measured_files({peers}), "stream_k", 3921, issue_targets());
    add_read_floor(c, read_floor_csv(write("floor.csv", floor_text)));
    REQUIRE(c.jobs.size() == 1);
    CHECK(c.jobs[0].read_floor_us == doctest::Approx(6));
    CHECK(c.jobs[0].of_read_floor == doctest::Approx(0.75));
    CHECK(c.best_of_read_floor.geomean == doctest::Approx(0.8));

    const std::string out = temp_path("f_compare.csv");
    std::filesystem::remove(out);
    RunResult r = run_einsim("gpu-compare --measured " + ours + " --peers " + peers + " --floor " + temp_path("floor.csv") + " --out " + out + " --format json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    const nlohmann::json j = nlohmann::json::parse(r.out);
    CHECK(j["of_read_floor"]["ours"]["geomean"].get<double>() == doctest::Approx(0.75));
    CHECK(j["of_read_floor"]["best_peer"]["max"].get<double>() == doctest::Approx(0.8));
    const reports::LocatedCsv csv = reports::parse_located_csv(read_test_file(out), out);
    REQUIRE(csv.column_index("of_read_floor") >= 0);
    CHECK(csv.rows.at(0).at(csv.column_index("read_floor_us")).text == "6.000");
    CHECK(csv.rows.at(0).at(csv.column_index("best_peer_of_read_floor")).text == "0.8000");
    // A bad floor file: a located error, exit 1, nothing written.
    std::filesystem::remove(out);
    RunResult bad = run_einsim("gpu-compare --measured " + ours + " --peers " + peers + " --floor " + write("f_bad.csv", floor_text + "read_floor_us_8MiB,x,us,g,1,\n") +
                               " --out " + out);
    CHECK(bad.code == 1);
    CHECK(bad.err.find("f_bad.csv:7:20:") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
    // Without --floor the CSV has no floor columns.
    RunResult plain = run_einsim("gpu-compare --measured " + ours + " --peers " + peers + " --format csv");
    CHECK(plain.out.find("read_floor_us") == std::string::npos);
}

TEST_CASE("gpu-compare: a floor of another GPU, a --short or --long that selects nothing, a copy fraction above 2") {
    const long long m = 3 * 1024 * 1024 / (32 * 256 * 2) - 1;
    const std::string ours = write("g_ours.csv", header + row("j", "stream_k", 1, m, 8.0));
    const std::string peers = write("g_peers.csv", header + row("j", "torch_cudnn", 1, m, 7.5));
    auto run = [&](const std::string& extra) { return run_einsim("gpu-compare --measured " + ours + " --peers " + peers + " " + extra); };
    std::string other = floor_text;
    for (std::size_t at; (at = other.find("NVIDIA H200")) != std::string::npos;) other.replace(at, 11, "NVIDIA H100");
    RunResult r = run("--floor " + write("g_floor.csv", other));
    CHECK(r.code == 1);
    CHECK(r.err.find("g_floor.csv:2:1: the read floor was measured on 'NVIDIA H100', the compared jobs on 'NVIDIA H200'") != std::string::npos);
    // Rows of one file naming two GPUs: located at the first that differs.
    CHECK_THROWS_WITH_AS(read_floor_csv(write("g_mixed.csv", floor_text + "read_floor_us_8MiB,9,us,NVIDIA H100,132,\n")),
                         doctest::Contains("g_mixed.csv:7:25: 'read_floor_us_8MiB' was measured on 'NVIDIA H100', the rows before on 'NVIDIA H200'"),
                         reports::CsvError);
    const std::pair<std::string, std::string> refused[] = {
        {"--short M=3", "--short 'M=3' selects none of the 1 compared jobs"},
        {"--long 'M>=1048576'", "--long 'M>=1048576' selects none of the 1 compared jobs"},
        {"--copy-fraction 5", "--copy-fraction is a fraction of the copy bandwidth"},
    };
    for (const auto& [options, says] : refused) {
        INFO(options);
        r = run(options);
        CHECK(r.code == 1);
        CHECK(r.err.find(says) != std::string::npos);
    }
    // The defaults may select nothing: the target is then 0 of 0 (the job is short, none is long).
    r = run("");
    CHECK(r.code == 0);
    CHECK(r.out.find("long jobs (M>=65536), at least 90% of the copy bandwidth (3921 GB/s, h200): 0 of 0") != std::string::npos);
}
