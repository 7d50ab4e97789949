// einsim gpu-jobs and einsim validate: the runner's mapping for a job, the join of measured rows
// with the GPU-SM model, the error statistics, and both commands end to end (bad input to them:
// gpu_input_test.cpp).
#include <doctest/doctest.h>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "arch/load.h"
#include "cli/gpu_job.h"
#include "cli/gpu_validation.h"
#include "cli/job_filter.h"
#include "einsum/input_error.h"
#include "mappings/gpu_legality.h"
#include "mappings/gpu_policies.h"
#include "reports/located_csv.h"
#include "measured_rows_fixture.h"
#include "run_einsim.h"
#include "temp_files.h"
#include "sim/gpu/gpu_mapper.h"
#include "sim/gpu/gpu_model.h"
#include "workloads/library.h"

using namespace cli;

namespace {

arch::GpuArch h200() { return *arch::load_preset("h200", workloads::data_dir()).gpu(); }

std::string temp_path(const std::string& name) { return test_temp_path("validation_tmp", name); }
std::string write(const std::string& name, const std::string& text) { return write_test_file("validation_tmp", name, text); }

using measured_fixture::header;
using measured_fixture::measured_text;

GpuJob job(const std::string& decomposition, long long m) {
    GpuJob j;
    j.job_id = "x";
    j.decomposition = decomposition;
    j.B = 1, j.H = 32, j.Hkv = 32, j.E = 128, j.F = 128, j.M = m, j.P = 1;
    j.tile_n = 64, j.warps = 4, j.ctas_per_sm = 2;
    return j;
}

// The stream-K job `einsim gpu-jobs <options>` writes for B = 16, 64/8 heads, E = 128, 1K (128 row
// blocks of 16 64-key tiles), after checking that it ran and echoed `echo` in its comment line.
GpuJob b16_stream_k_job(const std::string& options, const std::string& echo) {
    RunResult r = run_einsim("gpu-jobs --contexts 1024 --batch 16 --heads 64/8 --head-dim 128 --decompositions stream_k " + options);
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find(echo) != std::string::npos);
    return read_jobs(write("b16_stream_k.csv", r.out)).at("b16_h64-8_e128_m1k_st").job;
}

} // namespace

TEST_CASE("quantile interpolates between order statistics; error_stats over hand-made errors") {
    CHECK(quantile({4, 1, 3, 2}, 0.5) == doctest::Approx(2.5));
    CHECK(quantile({10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 0.9) == doctest::Approx(91)); // position 8.1
    CHECK(quantile({7}, 0.9) == 7);
    std::vector<ValidatedJob> jobs;
    for (double e : {10.0, -20.0, 5.0, 0.0}) {
        ValidatedJob j;
        j.job_id = "j" + std::to_string(jobs.size());
        j.pct_err = e;
        j.abs_pct_err = std::abs(e);
        jobs.push_back(j);
    }
    ErrorStats s = error_stats(jobs);
    CHECK(s.jobs == 4);
    CHECK(s.median == doctest::Approx(7.5));     // |err| sorted 0, 5, 10, 20
    CHECK(s.p90 == doctest::Approx(17.0));       // position 2.7: 10 + 0.7 x 10
    CHECK(s.max == 20);
    CHECK(s.max_job.rfind("j1", 0) == 0);
    CHECK(s.mean_signed == doctest::Approx(-1.25));
}

TEST_CASE("the runner's mapping: packed rows, warps along the keys, its pipeline, splits and grid") {
    arch::GpuArch g = h200();
    GpuJob st = job("stream_k", 4096);
    st.H = 64, st.Hkv = 8; // 8 query heads a KV head: one 16-row CTA
    mappings::GpuMapping m = runner_mapping(st, {}, g, "t");
    CHECK(m.decomposition == mappings::Decomposition::stream_k);
    CHECK(m.tile_q == 16);
    CHECK(m.tile_kv == 64);
    CHECK(m.warps == 4);
    CHECK(m.warps_kv == 4);
    CHECK(m.stages == 2);       // 2 K/V stages: the next tile's K and V in flight
    CHECK(m.gqa_pack);
    CHECK(m.grid_ctas == 264);  // min(2 x 132, 8 units x 64 tiles)
    RunnerChoices ran = parse_runner_message("grid 132 CTAs over 512 tiles; CTA 16 rows, warps 1x4, m_tiles 1, kc 16, stages 3, smem 107 KiB");
    CHECK(ran.grid_ctas == 132);
    CHECK(ran.kv_stages == 3);
    m = runner_mapping(st, ran, g, "t");
    CHECK(m.grid_ctas == 132);
    CHECK(m.stages == 4);

    // FlashAttention-2's rule on the runner's 64-key tiles with 2 x 132 slots, as einsim-gpu
    // reported on the H200: 7 splits at M = 4096 (64 tiles), 8 at M = 1024 (16 tiles; 7 gives the
    // same 3 tiles a split as 6 and is skipped).
    CHECK(runner_mapping(job("split_k", 4096), {}, g, "t").splits == 7);
    CHECK(runner_mapping(job("split_k", 1024), {}, g, "t").splits == 8);
    CHECK(runner_mapping(job("split_k", 1024), parse_runner_message("splits=0 -> 5 (FA2 heuristic)"), g, "t").splits == 5);
    GpuJob given = job("split_k", 4096);
    given.splits = 3;
    CHECK(runner_mapping(given, {}, g, "t").splits == 3);

    GpuJob flash = job("torch_flash", 4096);
    CHECK(runner_mapping(flash, {}, g, "t") == mappings::sdpa_flash_mapping(flash.problem(), g));
    CHECK_THROWS_WITH_AS(runner_mapping(job("torch_cudnn", 4096), {}, g, "m.csv:3"), doctest::Contains("no GPU-SM model"), einsum::InputError);
}

TEST_CASE("validate joins each measured row with the model's time for the same mapping") {
    arch::GpuArch g = h200();
    auto rows = read_measured(reports::parse_located_csv(measured_text, "m.csv"));
    REQUIRE(rows.size() == 4);
    Validation v = validate(rows, g, "h200", std::nullopt);
    REQUIRE(v.jobs.size() == 3);
    REQUIRE(v.skipped.size() == 1);
    CHECK(v.skipped[0].decomposition == "torch_cudnn");
    CHECK(v.skipped[0].where == "m.csv:5");
    CHECK(v.gpu == "NVIDIA H200");
    for (std::size_t i = 0; i < 3; ++i) {
        const ValidatedJob& x = v.jobs[i];
        // The prediction is the model's time for the mapping the runner reported, nothing else.
        mappings::GpuMapping m = runner_mapping(rows[i].job, parse_runner_message(rows[i].message), g, "");
        double model_us = sim::gpu::simulate_gpu(rows[i].job.problem(), m, g).time_us;
        CHECK(x.predicted_us == doctest::Approx(model_us));
        CHECK(x.measured_us == rows[i].time_us);
        CHECK(x.pct_err == doctest::Approx((model_us - rows[i].time_us) / rows[i].time_us * 100));
        CHECK(x.abs_pct_err == doctest::Approx(std::abs(x.pct_err)));
    }
    CHECK(v.jobs[0].mapping.find("split_k(7)") != std::string::npos);
    CHECK(v.jobs[1].mapping.find("stream_k(264 CTAs)") != std::string::npos);
    CHECK(v.overall.jobs == 3);
    CHECK(v.by_decomposition.size() == 3);
    std::vector<double> errs{v.jobs[0].abs_pct_err, v.jobs[1].abs_pct_err, v.jobs[2].abs_pct_err};
    CHECK(v.overall.median == doctest::Approx(quantile(errs, 0.5)));
    CHECK(v.overall.max == doctest::Approx(std::max({errs[0], errs[1], errs[2]})));

    // The CSV the report reads.
    reports::LocatedCsv out = reports::parse_located_csv(validation_csv(v), "v.csv");
    for (const char* c : {"job_id", "decomposition", "predicted_us", "measured_us", "abs_pct_err"}) CHECK(out.column_index(c) >= 0);
    CHECK(out.rows.size() == 3);
    auto j = summary_json(v, g);
    for (const char* k : {"gpu", "median_abs_pct_err", "p90_abs_pct_err", "max_abs_pct_err", "jobs"}) CHECK(j.contains(k));
    CHECK(j["jobs"] == 3);
}

TEST_CASE("einsim gpu-jobs writes the decode suite; einsim validate end to end") {
    RunResult r = run_einsim("gpu-jobs --contexts 1024,4096 --batch 1 --heads 64/8 --head-dim 128");
    INFO(r.err);
    REQUIRE(r.code == 0);
    std::string jobs_path = write("suite.csv", r.out);
    auto jobs = read_jobs(jobs_path);
    CHECK(jobs.size() == 6);
    REQUIRE(jobs.count("b1_h64-8_e128_m4k_st"));
    CHECK(jobs.at("b1_h64-8_e128_m4k_st").job.ctas_per_sm == 2);
    CHECK(jobs.at("b1_h64-8_e128_m1k_sk").job.splits == 0);

    std::string m = write("measured.csv", measured_text);
    std::string out = temp_path("v.csv"), summary = temp_path("summary.json");
    std::filesystem::remove(out);
    std::filesystem::remove(summary);
    r = run_einsim("validate --measured " + m + " --out " + out + " --summary " + summary + " --format json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["jobs"] == 3);
    CHECK(j["arch"] == "h200"); // from the gpu column
    CHECK(j["rows"].size() == 3);
    std::ifstream sf(summary);
    auto s = nlohmann::json::parse(sf);
    CHECK(s["median_abs_pct_err"] == j["median_abs_pct_err"]);
    CHECK(reports::read_located_csv(out).rows.size() == 3);
    // The report takes it.
    r = run_einsim("report " + std::string(EINSIM_SOURCE_DIR) + "/tests/reports/data/small_results.csv --validation " + out + " -o " +
                   temp_path("r.html"));
    CHECK(r.code == 0);

    // Bad input: exit 1, located message, nothing written.
    std::string bad = write("bad.csv", measured_text.substr(0, measured_text.find("\n") + 1) + "b,decode,split_k,fp16,1,32,32,128,128,4096,1,0,64,0,1,4,"
                                                                                              "NVIDIA H200,132,fast,1,1,20,1,1,1,ok,\n");
    std::string out2 = temp_path("v2.csv");
    std::filesystem::remove(out2);
    r = run_einsim("validate --measured " + bad + " --out " + out2);
    CHECK(r.code == 1);
    CHECK(r.err.find("bad.csv:2:") != std::string::npos);
    CHECK(r.err.find("column 'time_us': expected a number, got 'fast'") != std::string::npos);
    CHECK(!std::filesystem::exists(out2));
    r = run_einsim("validate --measured " + temp_path("missing.csv"));
    CHECK(r.code == 1);
    CHECK(r.err.find("missing.csv") != std::string::npos);
}

TEST_CASE("grid_ctas: gpu-jobs writes LeanAttention's grid, the runner mapping takes a job's grid, old files read as 0") {
    // B = 1, 64/8 heads, E = 128, 64-key tiles: 8 row blocks. At 1K, 128 tiles <= 2 x 264 slots, so
    // LeanAttention gives each CTA two tiles: 64 CTAs; at 4K, 512 tiles: min(256, 32 x 8) = 256.
    RunResult r = run_einsim("gpu-jobs --contexts 1024,4096 --batch 1 --heads 64/8 --head-dim 128 --decompositions stream_k,split_k "
                             "--stream-k-grid leanattention --arch h200");
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find(",ctas_per_sm,warps,grid_ctas,cluster\n") != std::string::npos);
    CHECK(r.out.find("--stream-k-grid leanattention --stream-k-tiles fixed --stream-k-clusters on --kv-stages 2 --arch h200") != std::string::npos);
    auto jobs = read_jobs(write("la.csv", r.out));
    CHECK(jobs.at("b1_h64-8_e128_m1k_st").job.grid_ctas == 64);
    CHECK(jobs.at("b1_h64-8_e128_m4k_st").job.grid_ctas == 256);
    CHECK(jobs.at("b1_h64-8_e128_m4k_sk").job.grid_ctas == 0);
    // The default leaves the grid to the runner (ctas_per_sm x SMs).
    r = run_einsim("gpu-jobs --contexts 1024 --batch 1 --heads 64/8 --head-dim 128 --decompositions stream_k");
    REQUIRE(r.code == 0);
    CHECK(read_jobs(write("full.csv", r.out)).at("b1_h64-8_e128_m1k_st").job.grid_ctas == 0);

    arch::GpuArch g = h200();
    GpuJob st = job("stream_k", 4096);
    CHECK(runner_mapping(st, {}, g, "t").grid_ctas == 264);
    st.grid_ctas = 200;
    CHECK(runner_mapping(st, {}, g, "t").grid_ctas == 200);
    CHECK(runner_mapping(st, parse_runner_message("grid_ctas 200 clamped to 180; grid 180 CTAs over 2048 tiles"), g, "t").grid_ctas == 180);
    // Files from before the column (measured_text has none) read with grid_ctas 0.
    auto rows = read_measured(reports::parse_located_csv(measured_text, "m.csv"));
    REQUIRE(rows.size() == 4);
    CHECK(rows[1].job.grid_ctas == 0);
}

TEST_CASE("gpu-jobs --stream-k-grid mapper writes the grid the model times fastest, and needs a GPU") {
    const GpuJob j = b16_stream_k_job("--stream-k-grid mapper --arch h200",
                                      "--stream-k-grid mapper --stream-k-tiles fixed --stream-k-clusters on --kv-stages 2 --arch h200");
    const arch::GpuArch g = h200();
    const mappings::GpuMapping m = runner_mapping(j, {}, g, "t");
    const auto best = sim::gpu::fastest_stream_k_grid(j.problem(), m, g);
    REQUIRE(best);
    CHECK(m.grid_ctas == best->grid_ctas);
    CHECK(m.cluster == best->cluster);
    CHECK(j.cluster == best->cluster);
    const auto c = sim::gpu::stream_k_grid_candidates(j.problem(), m, g);
    CHECK(std::count(c.begin(), c.end(), j.grid_ctas) == 1);
    RunResult r = run_einsim("gpu-jobs --contexts 1024 --batch 1 --heads 64/8 --head-dim 128 --stream-k-grid mapper --arch cloud");
    CHECK(r.code != 0);
    CHECK(r.err.find("--stream-k-grid mapper needs a GPU architecture") != std::string::npos);
}

TEST_CASE("runner_kv_stages_for: the K/V depth einsim-gpu reported for these jobs on the H200") {
    GpuJob j;
    j.decomposition = "stream_k";
    j.B = 1, j.H = 32, j.Hkv = 32, j.M = 1024;
    // E = 128, 64-key tiles, 2 CTAs an SM: 4 stages take 132 KiB > 113; 3 take 100 KiB ("stages 3").
    j.E = j.F = 128, j.tile_n = 64, j.warps = 4, j.ctas_per_sm = 2;
    CHECK(runner_kv_stages_for(j, 4) == 3);
    CHECK(runner_kv_stages_for(j, 2) == 2);
    // 128-key tiles, 8 warps, one CTA an SM: the 226 KiB budget, 3 stages ("smem 197 KiB").
    j.tile_n = 128, j.warps = 8, j.ctas_per_sm = 1;
    CHECK(runner_kv_stages_for(j, 4) == 3);
    // The same CTA with 2 CTAs an SM asked for: 2 stages (132 KiB) already exceed 113 KiB.
    j.ctas_per_sm = 2;
    CHECK(runner_kv_stages_for(j, 4) == 2);
    // E = 64, 64-key tiles, 2 warps, 2 CTAs an SM: 4 stages in 66 KiB ("stages 4, smem 67 KiB").
    j.E = j.F = 64, j.tile_n = 64, j.warps = 2, j.ctas_per_sm = 2;
    CHECK(runner_kv_stages_for(j, 4) == 4);
    CHECK(runner_kv_stages_for(j, 3) == 3);
    // Four CTAs an SM share its 228 KiB: 56 KiB each, 3 stages ("stages 3, smem 51 KiB",
    // validation/h200-2026-12-01h); six: 37 KiB, 2 stages ("stages 2, smem 35 KiB").
    j.ctas_per_sm = 4;
    CHECK(runner_kv_stages_for(j, 4) == 3);
    j.ctas_per_sm = 6;
    CHECK(runner_kv_stages_for(j, 4) == 2);
}

TEST_CASE("gpu-jobs --stream-k-tiles mapper writes the CTA shape and grid the model times fastest") {
    const GpuJob j = b16_stream_k_job("--stream-k-grid mapper --stream-k-tiles mapper --kv-stages 4 --arch h200",
                                      "--stream-k-tiles mapper --stream-k-clusters on --kv-stages 4 --arch h200");
    const arch::GpuArch g = h200();
    auto time_of = [&](GpuJob c) {
        RunnerChoices ran;
        ran.kv_stages = runner_kv_stages_for(c, 4);
        return sim::gpu::fastest_stream_k_grid(c.problem(), runner_mapping(c, ran, g, "t"), g);
    };
    const auto chosen = time_of(j);
    REQUIRE(chosen);
    CHECK(chosen->grid_ctas == j.grid_ctas);
    CHECK(chosen->cluster == j.cluster);
    int same = 0, timed = 0;
    for (const StreamKCtaShape& s : stream_k_cta_shapes()) {
        GpuJob c = j;
        c.tile_n = s.tile_n, c.warps = s.warps, c.ctas_per_sm = s.ctas_per_sm, c.grid_ctas = 0, c.cluster = 0;
        same += s.tile_n == j.tile_n && s.warps == j.warps && s.ctas_per_sm == j.ctas_per_sm;
        if (const auto t = time_of(c)) {
            timed++;
            CHECK(t->time_us >= chosen->time_us);
        }
    }
    CHECK(same == 1);
    CHECK(timed > 1);
    // Tiles without the grid, or a depth the runner does not have, are refused.
    RunResult r = run_einsim("gpu-jobs --contexts 1024 --batch 1 --heads 64/8 --head-dim 128 --stream-k-tiles mapper --arch h200");
    CHECK(r.code != 0);
    CHECK(r.err.find("use it with --stream-k-grid mapper") != std::string::npos);
    r = run_einsim("gpu-jobs --contexts 1024 --batch 1 --heads 64/8 --head-dim 128 --kv-stages 5");
    CHECK(r.code != 0);
    CHECK(r.err.find("--kv-stages") != std::string::npos);
}

TEST_CASE("job filters: terms, matches, located errors") {
    ValidatedJob j;
    j.decomposition = "data_parallel", j.kernel = "decode", j.dtype = "fp16";
    j.B = 1, j.H = 32, j.Hkv = 8, j.E = 128, j.F = 128, j.M = 65536, j.P = 1;
    CHECK(matches(parse_job_filter("decomposition=data_parallel,B=1,M>=32768", "t"), j));
    CHECK(matches(parse_job_filter("M<=65536,Hkv=8,dtype=fp16", "t"), j));
    CHECK_FALSE(matches(parse_job_filter("decomposition=split_k,B=1", "t"), j));
    CHECK_FALSE(matches(parse_job_filter("M>=65537", "t"), j));
    CHECK_FALSE(matches(parse_job_filter("M<=65535", "t"), j));
    CHECK_FALSE(matches(parse_job_filter("E=64", "t"), j));
    auto error_of = [](const std::string& spec) {
        try {
            parse_job_filter(spec, "--fit-set");
        } catch (const einsum::InputError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(error_of("").find("expected KEY=VALUE") != std::string::npos);
    CHECK(error_of("B=1,,M>=2").find("expected KEY=VALUE") != std::string::npos);
    CHECK(error_of("Q=1").find("unknown key 'Q'") != std::string::npos);
    CHECK(error_of("decomposition>=a").find("takes only =") != std::string::npos);
    CHECK(error_of("M>=32k").find("'32k' is not an integer") != std::string::npos);
    CHECK(error_of("B=").find("missing value") != std::string::npos);
    CHECK(error_of("M>1").find("--fit-set") != std::string::npos);
    // The term's column within the spec.
    try {
        parse_job_filter("B=1,M>=32k", "--fit-set");
        FAIL("no error");
    } catch (const einsum::InputError& e) {
        CHECK(e.where().column == 5);
        CHECK(e.where().key_path == "M>=32k");
    }
}

TEST_CASE("validate --fit-set reports the jobs outside the fit apart") {
    std::string m = write("measured_fit.csv", measured_text);
    std::string summary = temp_path("summary_fit.json");
    RunResult r = run_einsim("validate --measured " + m + " --fit-set decomposition=split_k,B=1 --summary " + summary + " --format json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.contains("held_out_of_fit"));
    CHECK(j["held_out_of_fit"]["fit_set"] == "decomposition=split_k,B=1");
    CHECK(j["held_out_of_fit"]["fit_jobs"] == 1);
    CHECK(j["held_out_of_fit"]["jobs"] == 2);
    // The held-out statistics are those of the two other rows (stream-K and torch flash).
    std::vector<double> others;
    for (const auto& row : j["rows"])
        if (row["decomposition"] != "split_k") others.push_back(row["abs_pct_err"].get<double>());
    REQUIRE(others.size() == 2);
    CHECK(j["held_out_of_fit"]["median_abs_pct_err"].get<double>() == doctest::Approx(quantile(others, 0.5)));
    CHECK(j["held_out_of_fit"]["max_abs_pct_err"].get<double>() == doctest::Approx(std::max(others[0], others[1])));
    std::ifstream sf(summary);
    CHECK(nlohmann::json::parse(sf)["held_out_of_fit"]["jobs"] == 2);

    r = run_einsim("validate --measured " + m + " --fit-set decomposition=split_k,B=4");
    CHECK(r.code == 1);
    CHECK(r.err.find("no compared job matches --fit-set") != std::string::npos);
    r = run_einsim("validate --measured " + m + " --fit-set B=1");
    CHECK(r.code == 1);
    CHECK(r.err.find("none is held out") != std::string::npos);
    r = run_einsim("validate --measured " + m + " --fit-set ''");
    CHECK(r.code == 1);
    CHECK(r.err.find("--fit-set was given an empty value") != std::string::npos);
    r = run_einsim("validate --measured " + m + " --fit-set 'M>4096'");
    CHECK(r.code == 1);
    CHECK(r.err.find("expected =, >= or <=") != std::string::npos);
}

TEST_CASE("cluster: gpu-jobs writes the clusters the model picks (or none when off), and the runner mapping takes them") {
    // B = 1, 64/8 heads, E = 64, 1K and 4K: 8 row blocks; where the mapper's grid gives every row
    // block 2..16 equal ranges and clusters are timed faster, the job carries them.
    const std::string shape = "gpu-jobs --contexts 1024,4096 --batch 1 --heads 64/8 --head-dim 64 --decompositions stream_k "
                              "--stream-k-grid mapper --arch h200";
    RunResult on = run_einsim(shape);
    INFO(on.err);
    REQUIRE(on.code == 0);
    RunResult off = run_einsim(shape + " --stream-k-clusters off");
    REQUIRE(off.code == 0);
    CHECK(off.out.find("--stream-k-clusters off") != std::string::npos);
    const auto with = read_jobs(write("clusters_on.csv", on.out)), without = read_jobs(write("clusters_off.csv", off.out));
    const arch::GpuArch g = h200();
    int clustered = 0;
    for (const char* id : {"b1_h64-8_e64_m1k_st", "b1_h64-8_e64_m4k_st"}) {
        INFO(id);
        const GpuJob& a = with.at(id).job;
        const GpuJob& b = without.at(id).job;
        CHECK(b.cluster == 0);
        const mappings::GpuMapping ma = runner_mapping(a, {}, g, "t"), mb = runner_mapping(b, {}, g, "t");
        CHECK(ma.cluster == a.cluster);
        CHECK(mappings::gpu_violations(ma, a.problem(), g).empty());
        const double ta = sim::gpu::simulate_gpu(a.problem(), ma, g).time_us, tb = sim::gpu::simulate_gpu(b.problem(), mb, g).time_us;
        CHECK(ta <= tb);
        if (a.cluster > 0) {
            clustered++;
            CHECK(a.grid_ctas == 8 * a.cluster);
            CHECK(ta < tb);
        }
    }
    CHECK(clustered > 0);
    // What the runner reports it ran wins over the column (einsim-gpu run --sk-cluster on).
    GpuJob st = job("stream_k", 1024);
    CHECK(runner_mapping(st, {}, g, "t").cluster == 0);
    st.cluster = 4;
    CHECK(runner_mapping(st, {}, g, "t").cluster == 4);
    CHECK(parse_runner_message("grid 64 CTAs over 128 tiles; clusters of 8 CTAs a unit (8 launched, 14 resident at once)").cluster == 8);
    CHECK(runner_mapping(st, parse_runner_message("clusters of 8 CTAs a unit (8 launched)"), g, "t").cluster == 8);
    // ... and so does its saying it ran the job unclustered (--sk-cluster off, or no clustered kernel).
    const RunnerChoices said_off = parse_runner_message("grid 64 CTAs over 64 tiles; the job's cluster 4 not used (--sk-cluster off): run unclustered");
    CHECK(said_off.cluster == -1);
    CHECK(runner_mapping(st, said_off, g, "t").cluster == 0);
    CHECK(parse_runner_message("grid 64 CTAs over 64 tiles").cluster == 0);
    // The column as einsim-gpu reads it: 0, or 2..16 on stream_k; anything else is located.
    const std::string head = "job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm,warps,grid_ctas,cluster\n";
    CHECK_THROWS_WITH_AS(read_jobs(write("c1.csv", head + "x,decode,stream_k,fp16,1,64,8,64,64,1024,1,0,64,0,2,4,64,1\n")),
                         doctest::Contains("c1.csv:2:58: column 'cluster': expected 0 (no clusters) or 2..16 CTAs a cluster, got 1"),
                         reports::CsvError);
    CHECK_THROWS_WITH_AS(read_jobs(write("c17.csv", head + "x,decode,stream_k,fp16,1,64,8,64,64,1024,1,0,64,0,2,4,64,17\n")),
                         doctest::Contains("c17.csv:2:58: column 'cluster': expected 0 (no clusters) or 2..16"), reports::CsvError);
    CHECK_THROWS_WITH_AS(read_jobs(write("csk.csv", head + "x,decode,split_k,fp16,1,64,8,64,64,1024,1,0,64,0,2,4,0,4\n")),
                         doctest::Contains("csk.csv:2:56: column 'cluster': clusters apply to stream_k only (0 elsewhere), got 4"),
                         reports::CsvError);
    CHECK(read_jobs(write("c8.csv", head + "x,decode,stream_k,fp16,1,64,8,64,64,1024,1,0,64,0,2,4,64,8\n")).at("x").job.cluster == 8);
}
