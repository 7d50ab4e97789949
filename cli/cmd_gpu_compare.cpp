// einsim gpu-compare: our measured kernels (einsim-gpu run) against PyTorch's SDPA backends
// (cuda/sdpa_peer.py) measured in the same run: per-job speedups, bandwidth, and the targets of
// cli/peer_comparison.h. Everything is read and checked before anything is written.
#include <cmath>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/gpu_validation.h"
#include "cli/job_filter.h"
#include "cli/measured_arch.h"
#include "cli/output_format.h"
#include "cli/peer_comparison.h"
#include "reports/report_files.h"
#include "reports/table.h"

namespace cli {
namespace {

struct GpuCompareOptions {
    std::vector<std::string> measured, peers, set;
    std::string decomposition = "stream_k", arch, out, summary, floor;
    std::string short_set = "B=1,M<=16384", long_set = "M>=65536";
    double min_speedup = 0.95, short_speedup = 1.3, copy_fraction = 0.9;
    bool check = false;
    bool short_given = false, long_given = false; // --short / --long given on the command line
    Format format = Format::table;
};

using reports::fixed;

void require_positive(double v, const char* option) {
    if (!(v > 0) || !std::isfinite(v)) throw einsum::InputError({option, 0, 0, ""}, std::string(option) + " must be a positive number");
}

std::string missed_text(const TargetResult& r, int digits) {
    std::string s;
    for (const auto& [id, v] : r.missed) s += (s.empty() ? "" : ", ") + id + " " + fixed(v, digits);
    return s;
}

int run_gpu_compare(const GpuCompareOptions& o) {
    if (o.decomposition != "data_parallel" && o.decomposition != "split_k" && o.decomposition != "stream_k")
        throw einsum::InputError({"--decomposition", 0, 0, o.decomposition},
                                 "unknown decomposition '" + o.decomposition + "' (data_parallel, split_k, stream_k)");
    require_positive(o.min_speedup, "--min-speedup");
    require_positive(o.short_speedup, "--short-speedup");
    require_positive(o.copy_fraction, "--copy-fraction");
    // Our bytes over the time against a copy's read + write rate: a pure read reaches ~1.2 of it.
    if (o.copy_fraction > 2)
        throw einsum::InputError({"--copy-fraction", 0, 0, ""}, "--copy-fraction is a fraction of the copy bandwidth (a read-only kernel reaches ~1.2), got " +
                                                                  fixed(o.copy_fraction, 3));
    PeerTargets t;
    t.min_speedup = o.min_speedup;
    t.short_speedup = o.short_speedup;
    t.long_copy_fraction = o.copy_fraction;
    t.short_set = parse_job_filter(o.short_set, "--short");
    t.long_set = parse_job_filter(o.long_set, "--long");
    std::vector<MeasuredRow> ours = read_measured_files(o.measured), peers = read_measured_files(o.peers);

    arch::Arch a = measured_gpu_arch(o.arch, ours, o.set, "gpu-compare");
    const double copy = a.gpu()->hbm.copy_bandwidth_gb_per_s;
    if (!(copy > 0))
        throw einsum::InputError({a.name, 0, 0, "hbm.copy_bandwidth_gb_per_s"},
                                 "the architecture gives no copy bandwidth to set the long jobs' bandwidth against");

    std::optional<ReadFloor> floor;
    if (!o.floor.empty()) floor = read_floor_csv(o.floor);
    PeerComparison c = compare_with_peers(ours, peers, o.decomposition, copy, t);
    if (floor && !floor->gpu.empty() && floor->gpu != c.gpu)
        throw reports::CsvError(floor->file, floor->gpu_line, 1,
                                "the read floor was measured on '" + floor->gpu + "', the compared jobs on '" + c.gpu + "': give the floor of the same GPU");
    if (floor) add_read_floor(c, *floor);
    // A target set given by hand that selects none of the compared jobs is a typo, not a vacuous target.
    if (o.short_given && c.short_jobs.jobs == 0)
        throw einsum::InputError({"--short", 0, 0, o.short_set}, "--short '" + o.short_set + "' selects none of the " + std::to_string(c.jobs.size()) + " compared jobs");
    if (o.long_given && c.long_jobs.jobs == 0)
        throw einsum::InputError({"--long", 0, 0, o.long_set}, "--long '" + o.long_set + "' selects none of the " + std::to_string(c.jobs.size()) + " compared jobs");
    nlohmann::ordered_json summary = peer_summary_json(c, t);
    summary["arch"] = a.name;
    std::vector<std::pair<std::string, std::string>> files;
    if (!o.out.empty()) files.push_back({o.out, peer_comparison_csv(c)});
    if (!o.summary.empty()) files.push_back({o.summary, summary.dump(2) + "\n"});
    std::vector<std::string> inputs = o.measured;
    inputs.insert(inputs.end(), o.peers.begin(), o.peers.end());
    if (!o.floor.empty()) inputs.push_back(o.floor);
    if (!files.empty()) reports::write_files_atomically(files, inputs);
    const bool all_met = c.all.met == c.all.jobs && c.short_jobs.met == c.short_jobs.jobs && c.long_jobs.met == c.long_jobs.jobs;
    const int code = o.check && !all_met ? exit_check_failed : exit_ok;

    if (o.format == Format::csv) {
        std::cout << peer_comparison_csv(c);
        return code;
    }
    if (o.format == Format::json) {
        std::cout << summary.dump(2) << "\n";
        return code;
    }
    reports::Table tab;
    tab.columns = {"job", "ours us"};
    for (const auto& p : c.peers) tab.columns.push_back(p + " us");
    for (const std::string col : {"best", "vs best", "GB/s", "of copy"}) tab.columns.push_back(col);
    if (floor) tab.columns.push_back("of floor");
    for (const auto& x : c.jobs) {
        std::vector<std::string> row = {x.job.job_id, fixed(x.ours_us, 2)};
        for (const auto& p : c.peers) row.push_back(x.peer_us.contains(p) ? fixed(x.peer_us.at(p), 2) : "-");
        row.push_back(x.best_peer);
        row.push_back(fixed(x.speedup_vs_best, 3) + "x");
        row.push_back(fixed(x.gb_per_s, 0));
        row.push_back(fixed(100 * x.copy_fraction, 1) + "%");
        if (floor) row.push_back(fixed(100 * x.of_read_floor, 1) + "%");
        tab.add(row);
    }
    std::cout << o.decomposition << " (" << c.gpu << ") against PyTorch SDPA of the same run; speedup = backend time / ours\n\n" << tab.text() << "\n";
    std::cout << c.jobs.size() << " jobs: geomean " << fixed(c.geomean_vs_best, 3) << "x vs the best backend";
    for (const auto& [p, s] : c.vs_peer) std::cout << ", " << fixed(s.geomean, 3) << "x vs " << p << " (" << fixed(s.min, 3) << "-" << fixed(s.max, 3) << ")";
    std::cout << "\n";
    std::cout << "at least " << fixed(t.min_speedup, 2) << "x the best backend: " << c.all.met << " of " << c.all.jobs << " (range "
              << fixed(c.all.min, 3) << "-" << fixed(c.all.max, 3) << ")" << (c.all.missed.empty() ? "" : "; below: " + missed_text(c.all, 3)) << "\n";
    std::cout << "short jobs (" << o.short_set << "), at least " << fixed(t.short_speedup, 2) << "x the best backend: " << c.short_jobs.met << " of "
              << c.short_jobs.jobs;
    if (c.short_jobs.jobs > 0) std::cout << " (range " << fixed(c.short_jobs.min, 3) << "-" << fixed(c.short_jobs.max, 3) << ")";
    for (const auto& [p, r] : c.short_vs_peer)
        std::cout << "; vs " << p << " " << r.met << " of " << r.jobs << " (" << fixed(r.min, 3) << "-" << fixed(r.max, 3) << ")";
    std::cout << "\n";
    std::cout << "long jobs (" << o.long_set << "), at least " << fixed(100 * t.long_copy_fraction, 0) << "% of the copy bandwidth ("
              << fixed(copy, 0) << " GB/s, " << a.name << "): " << c.long_jobs.met << " of " << c.long_jobs.jobs
              << (c.long_jobs.missed.empty() ? "" : "; below: " + missed_text(c.long_jobs, 3)) << "\n";
    if (floor) {
        auto range = [](const reports::Stats& s) { return fixed(100 * s.geomean, 1) + "% (" + fixed(100 * s.min, 1) + "-" + fixed(100 * s.max, 1) + "%)"; };
        std::cout << "read floor (" << c.read_floor_file << ": one launch reading the same bytes): ours at " << range(c.of_read_floor) << " of it, the best backend at "
                  << range(c.best_of_read_floor);
        if (c.long_jobs.jobs > 0)
            std::cout << "; long jobs: ours " << range(c.long_of_read_floor) << ", the best backend " << range(c.long_best_of_read_floor);
        std::cout << "\n";
    }
    if (!c.skipped.empty()) std::cout << "skipped " << c.skipped.size() << " rows (first: " << c.skipped.front().job_id << ", " << c.skipped.front().reason << ")\n";
    for (const auto& [path, text] : files) std::cout << "wrote " << path << "\n";
    return code;
}

} // namespace

void add_gpu_compare_command(CLI::App& app, int& result) {
    auto o = std::make_shared<GpuCompareOptions>();
    CLI::App* cmd = app.add_subcommand("gpu-compare", "Measured: our decode kernels against PyTorch's SDPA backends of the same run (speedups, bandwidth, targets)");
    cmd->add_option("--measured", o->measured, "einsim-gpu run's measured CSV(s) (repeatable, or comma-separated)")->required()->delimiter(',');
    cmd->add_option("--peers", o->peers, "cuda/sdpa_peer.py's CSV(s) of the same run (repeatable, or comma-separated)")->required()->delimiter(',');
    cmd->add_option("--decomposition", o->decomposition, "Which of our decompositions to compare: data_parallel, split_k or stream_k")
        ->default_str("stream_k");
    cmd->add_option("--arch", o->arch, "GPU preset or TOML file whose measured copy bandwidth the bandwidth is set against (default: from the gpu column)");
    cmd->add_option("--set", o->set, "Architecture override KEY=VALUE; repeatable");
    cmd->add_option("--min-speedup", o->min_speedup, "Target for every job: at least this speedup over the best backend")->default_str("0.95");
    cmd->add_option("--short", o->short_set, "The short jobs, as KEY=VALUE terms (as validate --fit-set)")->default_str("B=1,M<=16384");
    cmd->add_option("--short-speedup", o->short_speedup, "Target for the short jobs: at least this speedup over the best backend")->default_str("1.3");
    cmd->add_option("--long", o->long_set, "The long jobs, as KEY=VALUE terms")->default_str("M>=65536");
    cmd->add_option("--copy-fraction", o->copy_fraction, "Target for the long jobs: at least this fraction of the copy bandwidth")->default_str("0.9");
    cmd->add_option("--floor", o->floor,
                    "einsim-gpu bench --only floor's CSV of the same GPU: each job beside one launch reading its bytes (columns read_floor_us, "
                    "of_read_floor, best_peer_of_read_floor)");
    cmd->add_option("--out", o->out, "Write the per-job CSV (times, speedups, GB/s, copy fraction) here");
    cmd->add_option("--summary", o->summary, "Write the summary JSON (geomeans, each target's jobs, met, range and misses) here");
    cmd->add_flag("--check", o->check, "Exit with code 3 when a target is missed");
    add_format_option(cmd, o->format);
    cmd->callback([o, cmd, &result] {
        try {
            o->short_given = cmd->count("--short") > 0;
            o->long_given = cmd->count("--long") > 0;
            result = run_gpu_compare(*o);
        } catch (const std::exception& e) {
            std::cerr << "einsim: error: " << e.what() << "\n";
            result = exit_input;
        }
    });
}

} // namespace cli
