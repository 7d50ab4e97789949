// einsim gpu-compare: one of our decompositions against PyTorch's SDPA backends (cuda/sdpa_peer.py)
// measured on the same GPU in the same run. Per job: the speedup over the best backend and over
// each one (peer time / our time), the achieved bandwidth and its fraction of the preset's measured
// copy bandwidth; over the jobs: the geometric means and the three targets — never slower
// than a fraction of the best backend, a speedup over it on a set of short jobs, a fraction of the
// copy bandwidth on a set of long ones — each with the jobs that miss it.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/gpu_validation.h"
#include "cli/job_filter.h"
#include "cli/read_floor.h"
#include "reports/report_model.h"

namespace cli {

struct PeerTargets {
    double min_speedup = 0.95;      // every job: at least this speedup over the best backend
    std::optional<JobFilter> short_set; // these jobs: at least short_speedup over the best backend
    double short_speedup = 1.3;
    std::optional<JobFilter> long_set;  // these jobs: at least long_copy_fraction of the copy bandwidth
    double long_copy_fraction = 0.9;
};

struct PeerComparedJob {
    GpuJob job;                          // ours, as measured (its mapping)
    double ours_us = 0;
    std::map<std::string, double> peer_us; // backend (torch_flash, torch_cudnn, ...) -> time
    std::string best_peer;
    double best_peer_us = 0;
    double speedup_vs_best = 0;          // best_peer_us / ours_us
    double gb_per_s = 0;                 // compulsory bytes (Q, K, V, O) over our time
    double copy_fraction = 0;            // gb_per_s over the preset's copy bandwidth
    bool in_short = false, in_long = false;
    std::string where;                   // file:line of our row
    double read_floor_us = 0;            // with a read floor (add_read_floor): a pure read of our bytes
    double of_read_floor = 0;            // read_floor_us / ours_us
};

// A target over a set of jobs: how many there are, how many meet it, the lowest and highest value
// (NaN when the set is empty), and the jobs below it (job_id, value), lowest first.
struct TargetResult {
    long long jobs = 0, met = 0;
    double target = 0, min = 0, max = 0;
    std::vector<std::pair<std::string, double>> missed;
};

struct PeerComparison {
    std::string decomposition, gpu;
    double copy_gb_per_s = 0;
    std::vector<std::string> files, peers; // measured files read; backends seen
    std::vector<PeerComparedJob> jobs;
    std::vector<SkippedJob> skipped;       // not ok, or no ok backend row for the job
    double geomean_vs_best = 0;
    std::map<std::string, reports::Stats> vs_peer;   // speedup over each backend, over the jobs it ran
    TargetResult all, short_jobs, long_jobs;         // speedup vs best; speedup vs best; copy fraction
    std::map<std::string, TargetResult> short_vs_peer; // the short set's speedup over each backend
    // With a read floor (add_read_floor): its file, and the fraction of it ours and the best backend
    // reach over all jobs and over the long set.
    std::string read_floor_file;
    reports::Stats of_read_floor, best_of_read_floor, long_of_read_floor, long_best_of_read_floor;
};

// Pairs every ok row of `decomposition` in `ours` with the ok rows of PyTorch backends
// (decomposition torch_*) of the same job_id in `peers`. Throws reports::CsvError at the row on a
// job measured twice with the same decomposition or backend, a backend row whose problem (kernel,
// dtype, B, H, Hkv, E, F, M, P) differs from ours, or an ok row with a non-positive time. Rows of
// ours with another decomposition or status, and jobs without an ok backend row, are skipped with
// the reason; when nothing is compared, an einsum::InputError.
PeerComparison compare_with_peers(const std::vector<MeasuredRow>& ours, const std::vector<MeasuredRow>& peers, const std::string& decomposition,
                                  double copy_gb_per_s, const PeerTargets& targets);

// Sets every job beside the read floor at its compulsory bytes (read_floor.h).
void add_read_floor(PeerComparison& c, const ReadFloor& floor);

// One row a job: job_id, the shape, our mapping, our time, each backend's time, the best, the
// speedups, GB/s, copy fraction, which target sets the job is in, and the targets (the speedup
// every job is held to; the copy fraction, for the jobs of the long set); with a read floor, its
// time and the fraction of it ours and the best backend reach.
std::string peer_comparison_csv(const PeerComparison& c);
nlohmann::ordered_json peer_summary_json(const PeerComparison& c, const PeerTargets& t);

} // namespace cli
