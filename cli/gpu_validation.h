// einsim validate's join: measured rows of einsim-gpu (or cuda/sdpa_peer.py) paired with the GPU-SM
// model's prediction for the same job — same problem, decomposition, splits, tiles, CTAs per SM and
// pipeline depth as the runner reported, or the SDPA flash policy for PyTorch's flash rows — and the
// absolute percentage errors summarized (median, 90th percentile, maximum).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch/gpu.h"
#include "cli/gpu_job.h"
#include "reports/located_csv.h"

namespace cli {

struct MeasuredRow {
    GpuJob job;
    std::string gpu, status, message;
    double time_us = 0;
    std::string file;
    int line = 0;
};

// Reads a measured CSV (the job columns, then gpu, time_us, status, message at least). Throws
// reports::CsvError (file:line:column) on a missing column, a value of the wrong kind, an unknown
// kernel, dtype or decomposition.
std::vector<MeasuredRow> read_measured(const reports::LocatedCsv& f);
// read_measured of each file in turn, rows in file order.
std::vector<MeasuredRow> read_measured_files(const std::vector<std::string>& paths);
// Reads a jobs CSV of einsim-gpu (`#` comment lines allowed), keyed by job_id; CsvError likewise.
std::map<std::string, MeasuredRow> read_jobs(const std::string& path);

struct ValidatedJob {
    std::string job_id, decomposition, kernel, dtype;
    long long B = 0, H = 0, Hkv = 0, E = 0, F = 0, M = 0, P = 0;
    std::string mapping;           // what the model timed (mappings::describe)
    std::string binding;           // the model's largest phase
    double predicted_us = 0, measured_us = 0;
    double pct_err = 0;            // (predicted - measured) / measured x 100
    double abs_pct_err = 0;
    std::string where;             // file:line of the measured row
};

struct SkippedJob {
    std::string job_id, decomposition, reason, where;
};

struct ErrorStats {
    long long jobs = 0;
    double median = 0, p90 = 0, max = 0, mean_signed = 0; // percent; mean_signed > 0: the model predicts too slow
    std::string max_job;
};

// The q-quantile (0..1) of xs, interpolating linearly between order statistics at (n - 1) q
// (numpy's default). xs must not be empty.
double quantile(std::vector<double> xs, double q);
ErrorStats error_stats(const std::vector<ValidatedJob>& jobs);

struct Validation {
    std::string arch, gpu;
    std::vector<std::string> files;
    std::vector<ValidatedJob> jobs;
    std::vector<SkippedJob> skipped;
    ErrorStats overall;
    std::map<std::string, ErrorStats> by_decomposition;
    // With `einsim validate --fit-set`: the filter as written, how many jobs it matched, and the
    // statistics of the others (the jobs the fitted constants were not fitted on).
    std::string fit_set;
    long long fit_jobs = 0;
    std::optional<ErrorStats> held_out;
};

// Joins every row with the model's prediction. Rows with status other than ok, and PyTorch backends
// without a model (cudnn, efficient), are skipped with the reason. `jobs`, when given, must hold
// every measured job_id with the same problem (else CsvError at the measured cell). A (job_id,
// decomposition) measured twice is a CsvError naming both rows, unless `newest`: then of the rows
// that ran the same decomposition (or PyTorch backend) on the same problem, whatever their job_id,
// the row read last (rows come file by file: the file listed last) is the measurement, the earlier
// ones are skipped as superseded, and a measurement may use another mapping of the job than the jobs
// file (a kernel retuned since: the model times the mapping that ran).
Validation validate(const std::vector<MeasuredRow>& rows, const arch::GpuArch& g, const std::string& arch_name,
                    const std::optional<std::map<std::string, MeasuredRow>>& jobs, bool newest = false);

// The CSV `einsim report --validation` reads: job_id, decomposition, predicted_us, measured_us,
// abs_pct_err, then the shape, pct_err, mapping and binding.
std::string validation_csv(const Validation& v);
// validation/summary.json: gpu, arch, median_abs_pct_err, p90_abs_pct_err, max_abs_pct_err, jobs, ...
nlohmann::ordered_json summary_json(const Validation& v, const arch::GpuArch& g);

// The preset for a measured GPU name ("NVIDIA H200" -> h200, "... H100 ..." -> h100, A100 -> a100);
// empty when unknown.
std::string preset_for_gpu(const std::string& gpu_name);

} // namespace cli
