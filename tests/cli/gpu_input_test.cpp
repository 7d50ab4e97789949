// Bad input to the GPU measurement commands (gpu-jobs, validate, gpu-compare): located errors for
// measured rows the model cannot use, jobs the runner cannot run, options that would change
// nothing, and outputs that would replace an input; nothing written.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "arch/load.h"
#include "cli/gpu_job.h"
#include "cli/gpu_validation.h"
#include "measured_rows_fixture.h"
#include "reports/located_csv.h"
#include "run_einsim.h"
#include "temp_files.h"
#include "workloads/library.h"

using namespace cli;
using measured_fixture::header;
using measured_fixture::measured_text;

namespace {

arch::GpuArch h200() { return *arch::load_preset("h200", workloads::data_dir()).gpu(); }

std::string temp_path(const std::string& name) { return test_temp_path("gpu_input_tmp", name); }
std::string write(const std::string& name, const std::string& text) { return write_test_file("gpu_input_tmp", name, text); }

} // namespace

TEST_CASE("validate: bad input is located") {
    arch::GpuArch g = h200();
    auto parse = [](const std::string& text) { return read_measured(reports::parse_located_csv(text, "m.csv")); };
    std::string no_time = measured_text;
    no_time.replace(no_time.find("time_us,"), 8, "latency,");
    CHECK_THROWS_WITH_AS(parse(no_time), doctest::Contains("m.csv:1:1: missing column 'time_us'"), reports::CsvError);

    std::string bad_m = measured_text;
    bad_m.replace(bad_m.find(",4096,"), 6, ",4k,");
    CHECK_THROWS_WITH_AS(parse(bad_m), doctest::Contains("m.csv:2:59: column 'M': expected an integer, got '4k'"), reports::CsvError);

    std::string bad_d = measured_text;
    bad_d.replace(bad_d.find("stream_k"), 8, "streem_k");
    CHECK_THROWS_WITH_AS(parse(bad_d), doctest::Contains("m.csv:3:30: column 'decomposition': unknown value 'streem_k'"), reports::CsvError);

    auto rows = parse(measured_text);
    auto twice = rows;
    twice.push_back(rows[0]);
    twice.back().line = 9;
    CHECK_THROWS_WITH_AS(validate(twice, g, "h200", std::nullopt), doctest::Contains("m.csv:9:1: job 'b1_h32-32_e128_m4k_sk' (split_k) measured twice: also at m.csv:2"),
                         reports::CsvError);
    // --newest: the row read last measures the job, the earlier one is skipped as superseded.
    twice.back().time_us = 2 * rows[0].time_us;
    Validation latest = validate(twice, g, "h200", std::nullopt, true);
    CHECK(latest.jobs.size() == 3);
    auto sk = std::find_if(latest.jobs.begin(), latest.jobs.end(), [](const ValidatedJob& x) { return x.decomposition == "split_k"; });
    REQUIRE(sk != latest.jobs.end());
    CHECK(sk->measured_us == 2 * rows[0].time_us);
    CHECK(sk->where == "m.csv:9");
    auto superseded = std::find_if(latest.skipped.begin(), latest.skipped.end(), [](const SkippedJob& x) { return x.where == "m.csv:2"; });
    REQUIRE(superseded != latest.skipped.end());
    CHECK(superseded->reason == "superseded by a later measurement: m.csv:9");
    // PyTorch's rows name the job by the id of the jobs file they were run from: a later run of the same
    // backend on the same problem under another id supersedes them too.
    auto torch = twice;
    torch.push_back(rows[2]);
    torch.back().job.job_id = "b1_h32-32_e128_m4k_st";
    torch.back().line = 10;
    Validation t = validate(torch, g, "h200", std::nullopt, true);
    CHECK(t.jobs.size() == 3);
    CHECK(std::count_if(t.jobs.begin(), t.jobs.end(), [](const ValidatedJob& x) { return x.where == "m.csv:10"; }) == 1);
    CHECK(std::count_if(t.skipped.begin(), t.skipped.end(), [](const SkippedJob& x) { return x.where == "m.csv:4"; }) == 1);

    std::string jobs_path = write("jobs.csv", "# a comment\njob_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm,warps\n"
                                              "b1_h32-32_e128_m4k_sk,decode,split_k,fp16,1,32,32,128,128,4096,1,0,64,0,1,4\n"
                                              "b1_h32-32_e128_m4k_dp,decode,data_parallel,fp16,1,32,32,128,128,4096,1,0,64,0,1,4\n");
    auto jobs = read_jobs(jobs_path);
    CHECK(jobs.size() == 2);
    CHECK_THROWS_WITH_AS(validate(rows, g, "h200", jobs), doctest::Contains("m.csv:3:1: unknown job 'b1_h32-32_e128_m4k_st'"), reports::CsvError);

    // A newer measurement of a job with another mapping (128-key tiles): an error against the jobs
    // file, unless --newest.
    std::vector<MeasuredRow> retuned{rows[0], rows[0]};
    retuned[1].line = 9;
    retuned[1].job.tile_n = 128;
    CHECK_THROWS_WITH_AS(validate({retuned[1]}, g, "h200", jobs), doctest::Contains("m.csv:9:1: job 'b1_h32-32_e128_m4k_sk': tile_n = 128"),
                         reports::CsvError);
    Validation v = validate(retuned, g, "h200", jobs, true);
    REQUIRE(v.jobs.size() == 1);
    CHECK(v.jobs[0].mapping.find("x128") != std::string::npos);
    CHECK(v.skipped.size() == 1);
}

TEST_CASE("measured rows: status, time and the runner's knobs are checked where the model would use them") {
    auto parse = [](const std::string& text) { return read_measured(reports::parse_located_csv(text, "m.csv")); };
    auto edited = [](std::string from, const std::string& what, const std::string& with) {
        from.replace(from.find(what), what.size(), with);
        return from;
    };
    // Row 2 is split_k at M = 4096, time 36.72, status ok.
    CHECK_THROWS_WITH_AS(parse(edited(measured_text, ",36.72,", ",inf,")),
                         doctest::Contains("m.csv:2:93: column 'time_us': status ok needs a positive finite time, got 'inf'"), reports::CsvError);
    CHECK_THROWS_WITH_AS(parse(edited(measured_text, ",36.72,", ",0,")), doctest::Contains("column 'time_us': status ok needs a positive"),
                         reports::CsvError);
    CHECK_THROWS_WITH_AS(parse(edited(measured_text, "4.8e-04,ok,", "4.8e-04,weird,")),
                         doctest::Contains("m.csv:2:130: column 'status': unknown value 'weird' (expected ok, wrong, error)"), reports::CsvError);
    CHECK_THROWS_WITH_AS(parse(edited(measured_text, "NVIDIA H200,132,36.72", "NVIDIA H200,-1,36.72")),
                         doctest::Contains("m.csv:2:89: column 'sm_count': expected at least 1, got -1"), reports::CsvError);
    // Our kernels' knobs: tile_n, warps and CTAs an SM at least 1 on a row the model times.
    CHECK_THROWS_WITH_AS(parse(edited(measured_text, "4096,1,0,64,0,1,4,NVIDIA H200,132,36.72", "4096,1,0,0,0,1,4,NVIDIA H200,132,36.72")),
                         doctest::Contains("m.csv:2:68: column 'tile_n': expected at least 1, got 0"), reports::CsvError);
    // ... but a row the runner did not run keeps what it was given, and PyTorch's rows leave them 0.
    const auto rows = parse(edited(edited(measured_text, "4096,1,0,64,0,1,4,NVIDIA H200,132,36.72", "4096,1,0,0,0,1,4,NVIDIA H200,132,0"),
                                   "4.8e-04,ok,", "4.8e-04,error,"));
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].status == "error");
    CHECK(rows[0].job.tile_n == 0);
    CHECK(rows[3].job.warps == 0);
    // Prefill: data_parallel only, with a multiple of 16 query rows a CTA.
    const std::string prefill = header + "p,prefill,data_parallel,fp16,1,32,32,128,128,1024,1024,0,64,0,1,4,NVIDIA H200,132,90,1,1,20,1,1,1,ok,x\n";
    CHECK_THROWS_WITH_AS(parse(prefill), doctest::Contains("m.csv:2:56: column 'tile_m': prefill needs a multiple of 16 query rows a CTA, got 0"),
                         reports::CsvError);
    CHECK_THROWS_WITH_AS(parse(edited(edited(prefill, ",0,64,", ",64,64,"), "data_parallel", "stream_k")),
                         doctest::Contains("m.csv:2:11: column 'decomposition': prefill runs data_parallel only, got stream_k"), reports::CsvError);
    CHECK(parse(edited(prefill, ",0,64,", ",64,64,")).front().job.tile_m == 64);
}

TEST_CASE("gpu-jobs refuses what the runner cannot run and values given twice") {
    struct Case {
        std::string options, says;
    } cases[] = {
        {"--head-dim 96", "einsim-gpu is compiled for E = F in {64, 128, 256}, got 96"},
        {"--tile-kv 40", "--tile-kv: 40: expected a multiple of 16 keys, got 40"},
        {"--warps 17", "expected 1..16 warps a CTA, got 17"},
        {"--max-gib nan", "--max-gib: expected a positive number, got 'nan'"},
        {"--contexts 0", "--contexts: expected a whole number from 1 to 2147483648, got '0'"},
        {"--contexts 2000000000000", "got '2000000000000'"},
        {"--contexts 1024,2048,1024", "--contexts lists 1024 twice"},
        {"--decompositions stream_k,split_k,stream_k", "--decompositions lists stream_k twice"},
        {"--heads 64/8,64/8", "--heads lists 64/8 twice"},
        {"--heads 32/8/2", "expected H/Hkv with Hkv dividing H (e.g. 64/8), got '32/8/2'"},
        {"--heads 32x", "got '32x'"},
        {"--decompositions stream_k --splits 4", "--splits applies to split_k jobs, and --decompositions has none"},
        {"--decompositions data_parallel --ctas-per-sm 3", "--ctas-per-sm applies to stream_k jobs"},
        {"--stream-k-clusters off", "--stream-k-clusters applies with --stream-k-grid mapper"},
        {"--arch a100", "--arch sizes the stream-K grid for --stream-k-grid leanattention or mapper; full writes 0"},
        {"--kv-stages 3", "it applies with --stream-k-grid mapper"},
        {"--stream-k-grid mapper --stream-k-tiles mapper --ctas-per-sm 2", "--ctas-per-sm is chosen by --stream-k-tiles mapper"},
        {"--stream-k-grid mapper --stream-k-tiles mapper --decompositions stream_k --tile-kv 128", "--tile-kv is chosen by --stream-k-tiles mapper"},
        {"--max-gib 1e-9", "every point is above --max-gib"},
        {"-o ''", "--out was given an empty value"},
    };
    for (const Case& c : cases) {
        INFO(c.options);
        RunResult r = run_einsim("gpu-jobs " + c.options);
        CHECK(r.code != 0);
        CHECK(r.out.empty());
        CHECK(r.err.find(c.says) != std::string::npos);
    }
    RunResult ok = run_einsim("gpu-jobs --contexts 1024 --batch 1 --heads 32 --head-dim 256 --decompositions stream_k");
    CHECK(ok.code == 0);
    CHECK(ok.out.find("b1_h32-32_e256_m1k_st,decode,stream_k") != std::string::npos);
}

TEST_CASE("a jobs file with a byte-order mark before its comment lines reads as without it") {
    const std::string text = "# a comment\n# another\n" + read_test_file(write("plain_jobs.csv", "job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm,warps\n"
                                                                                        "j,decode,stream_k,fp16,1,32,32,128,128,4096,1,0,64,0,2,4\n"));
    const auto plain = read_jobs(write("nobom.csv", text)), bom = read_jobs(write("bom.csv", "\xEF\xBB\xBF" + text));
    REQUIRE(bom.size() == 1);
    CHECK(bom.at("j").job.M == plain.at("j").job.M);
    CHECK(bom.at("j").line == 4);
}

TEST_CASE("validate and gpu-compare never write over their inputs, nor two outputs to one file") {
    const std::string m = write("self.csv", measured_text);
    const std::string before = read_test_file(m);
    RunResult r = run_einsim("validate --measured " + m + " --out " + m);
    CHECK(r.code == 1);
    CHECK(r.err.find(m + ": refusing to write the output over an input file (" + m + ")") != std::string::npos);
    CHECK(read_test_file(m) == before);
    const std::string both = temp_path("both.out");
    std::filesystem::remove(both);
    r = run_einsim("validate --measured " + m + " --out " + both + " --summary " + both);
    CHECK(r.code == 1);
    CHECK(r.err.find(both + ": refusing to write two outputs to one file (also given as " + both + ")") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(both));
    // gpu-compare: its --peers file is an input too (a copy of a measured run's two files).
    const std::string run = std::string(EINSIM_SOURCE_DIR) + "/validation/h200-2026-12-01r/suite_stream_k_v25_v9";
    const std::string ours = write("self_ours.csv", read_test_file(run + ".csv")), peers = write("self_peers.csv", read_test_file(run + "_sdpa.csv"));
    const std::string peers_before = read_test_file(peers);
    r = run_einsim("gpu-compare --measured " + ours + " --peers " + peers + " --summary " + peers);
    CHECK(r.code == 1);
    CHECK(r.err.find(peers + ": refusing to write the output over an input file (" + peers + ")") != std::string::npos);
    CHECK(read_test_file(peers) == peers_before);
    CHECK(run_einsim("gpu-compare --measured " + ours + " --peers " + peers + " --summary " + temp_path("self.json")).code == 0);
}
