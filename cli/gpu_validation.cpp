#include "cli/gpu_validation.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "einsum/input_error.h"
#include "mappings/gpu_mapping.h"
#include "reports/table.h"
#include "sim/gpu/gpu_model.h"

namespace cli {

namespace {

using reports::CsvCell;
using reports::CsvError;
using reports::LocatedCsv;

const CsvCell& cell(const LocatedCsv& f, const std::vector<CsvCell>& row, const std::string& column) {
    return row[static_cast<std::size_t>(f.column_index(column))];
}

void require_columns(const LocatedCsv& f, const std::vector<std::string>& columns, const std::string& what) {
    std::string have;
    for (const auto& h : f.header) have += (have.empty() ? "" : ", ") + h.text;
    for (const auto& c : columns)
        if (f.column_index(c) < 0) {
            int line = f.header.empty() ? 1 : f.header.front().line;
            throw CsvError(f.path, line, 1, "missing column '" + c + "' in the " + what + " (the header has: " + have + ")");
        }
}

// The job columns that are the runner's tuning, not the problem (validate --newest lets them differ).
bool knob_column(const std::string& c) {
    return c == "tile_m" || c == "tile_n" || c == "splits" || c == "ctas_per_sm" || c == "warps" || c == "grid_ctas" || c == "cluster";
}

// The job columns a file must have (files written before grid_ctas or cluster existed lack them).
std::vector<std::string> required_job_columns() {
    std::vector<std::string> need;
    const auto& optional = gpu_job_optional_columns();
    for (const auto& c : gpu_job_columns())
        if (std::find(optional.begin(), optional.end(), c) == optional.end()) need.push_back(c);
    return need;
}

long long integer(const LocatedCsv& f, const std::vector<CsvCell>& row, const std::string& column, long long min_value) {
    const CsvCell& c = cell(f, row, column);
    std::size_t used = 0;
    long long v = 0;
    bool ok = !c.text.empty();
    try {
        v = std::stoll(c.text, &used);
    } catch (const std::exception&) {
        ok = false;
    }
    if (!ok || used != c.text.size()) throw CsvError(f.path, c.line, c.column, "column '" + column + "': expected an integer, got '" + c.text + "'");
    if (v < min_value)
        throw CsvError(f.path, c.line, c.column, "column '" + column + "': expected at least " + std::to_string(min_value) + ", got " + c.text);
    return v;
}

double number(const LocatedCsv& f, const std::vector<CsvCell>& row, const std::string& column) {
    const CsvCell& c = cell(f, row, column);
    double v = 0;
    if (!reports::parse_number(c.text, v))
        throw CsvError(f.path, c.line, c.column, "column '" + column + "': expected a number, got '" + c.text + "'");
    return v;
}

std::string one_of(const LocatedCsv& f, const std::vector<CsvCell>& row, const std::string& column, const std::vector<std::string>& allowed,
                   bool torch_prefix = false) {
    const CsvCell& c = cell(f, row, column);
    if (std::find(allowed.begin(), allowed.end(), c.text) != allowed.end()) return c.text;
    if (torch_prefix && c.text.rfind("torch_", 0) == 0 && c.text.size() > 6) return c.text;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    if (torch_prefix) list += ", torch_<backend>";
    throw CsvError(f.path, c.line, c.column, "column '" + column + "': unknown value '" + c.text + "' (expected " + list + ")");
}

GpuJob job_of(const LocatedCsv& f, const std::vector<CsvCell>& row) {
    GpuJob j;
    j.job_id = cell(f, row, "job_id").text;
    if (j.job_id.empty()) {
        const CsvCell& c = cell(f, row, "job_id");
        throw CsvError(f.path, c.line, c.column, "column 'job_id' is empty");
    }
    j.kernel = one_of(f, row, "kernel", {"decode", "prefill"});
    j.decomposition = one_of(f, row, "decomposition", {"data_parallel", "split_k", "stream_k"}, true);
    j.dtype = one_of(f, row, "dtype", {"fp16", "bf16"});
    j.B = integer(f, row, "B", 1);
    j.H = integer(f, row, "H", 1);
    j.Hkv = integer(f, row, "Hkv", 1);
    if (j.H % j.Hkv != 0) {
        const CsvCell& c = cell(f, row, "Hkv");
        throw CsvError(f.path, c.line, c.column, "column 'Hkv': " + c.text + " does not divide H = " + std::to_string(j.H));
    }
    j.E = integer(f, row, "E", 1);
    j.F = integer(f, row, "F", 1);
    j.M = integer(f, row, "M", 1);
    j.P = integer(f, row, "P", 1);
    j.tile_m = integer(f, row, "tile_m", 0);
    j.tile_n = integer(f, row, "tile_n", 0);
    j.splits = integer(f, row, "splits", 0);
    j.ctas_per_sm = integer(f, row, "ctas_per_sm", 0);
    j.warps = integer(f, row, "warps", 0);
    j.grid_ctas = f.column_index("grid_ctas") >= 0 ? integer(f, row, "grid_ctas", 0) : 0;
    j.cluster = f.column_index("cluster") >= 0 ? integer(f, row, "cluster", 0) : 0;
    if (j.cluster != 0) {  // as einsim-gpu's jobs reader: 0, or 2..16 CTAs of a stream_k unit
        const CsvCell& c = cell(f, row, "cluster");
        if (j.cluster == 1 || j.cluster > 16)
            throw CsvError(f.path, c.line, c.column, "column 'cluster': expected 0 (no clusters) or 2..16 CTAs a cluster, got " + c.text);
        if (j.decomposition != "stream_k")
            throw CsvError(f.path, c.line, c.column, "column 'cluster': clusters apply to stream_k only (0 elsewhere), got " + c.text);
    }
    return j;
}

// The runner's own rules for the columns it reads to launch a job (cuda/jobs_csv.cpp, cuda/launch_plan.cpp):
// the model derives its CTA from them, so a row it times must satisfy them. PyTorch's rows leave them 0.
void check_runner_knobs(const LocatedCsv& f, const std::vector<CsvCell>& row, const GpuJob& j) {
    if (j.is_pytorch_backend()) return;
    integer(f, row, "tile_n", 1);
    integer(f, row, "warps", 1);
    integer(f, row, "ctas_per_sm", 1);
    if (j.kernel != "prefill") return;
    if (j.decomposition != "data_parallel") {
        const CsvCell& c = cell(f, row, "decomposition");
        throw CsvError(f.path, c.line, c.column, "column 'decomposition': prefill runs data_parallel only, got " + c.text);
    }
    if (j.tile_m < 16 || j.tile_m % 16 != 0) {
        const CsvCell& c = cell(f, row, "tile_m");
        throw CsvError(f.path, c.line, c.column, "column 'tile_m': prefill needs a multiple of 16 query rows a CTA, got " + c.text);
    }
}

std::string location(const std::string& file, int line) { return reports::csv_location(file, line); }

// Text with `#` comment lines blanked (line numbers kept; blank lines are skipped by the parser).
std::string without_comments(const std::string& text) {
    std::string out;
    // A UTF-8 byte-order mark would hide a first comment line's '#'.
    std::istringstream in(text.rfind("\xEF\xBB\xBF", 0) == 0 ? text.substr(3) : text);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
        if (!first) out += "\n";
        first = false;
        std::size_t k = line.find_first_not_of(" \t");
        if (k == std::string::npos || line[k] != '#') out += line;
    }
    return out;
}

using reports::fixed;

nlohmann::ordered_json stats_json(const ErrorStats& s) {
    return {{"jobs", s.jobs}, {"median_abs_pct_err", s.median}, {"p90_abs_pct_err", s.p90}, {"max_abs_pct_err", s.max},
            {"max_job", s.max_job}, {"mean_pct_err", s.mean_signed}};
}

} // namespace

std::vector<MeasuredRow> read_measured(const LocatedCsv& f) {
    std::vector<std::string> need = required_job_columns();
    for (const char* c : {"gpu", "time_us", "status", "message"}) need.push_back(c);
    require_columns(f, need, "measured CSV");
    std::vector<MeasuredRow> rows;
    for (const auto& r : f.rows) {
        MeasuredRow m;
        m.job = job_of(f, r);
        m.gpu = cell(f, r, "gpu").text;
        // einsim-gpu and sdpa_peer.py write ok, wrong (the check failed) or error (did not run).
        m.status = one_of(f, r, "status", {"ok", "wrong", "error"});
        m.message = cell(f, r, "message").text;
        m.time_us = number(f, r, "time_us");
        if (m.status == "ok") {
            if (!std::isfinite(m.time_us) || !(m.time_us > 0)) {
                const CsvCell& c = cell(f, r, "time_us");
                throw CsvError(f.path, c.line, c.column, "column 'time_us': status ok needs a positive finite time, got '" + c.text + "'");
            }
            check_runner_knobs(f, r, m.job);
        }
        if (f.column_index("sm_count") >= 0) integer(f, r, "sm_count", 1);
        m.file = f.path;
        m.line = r.front().line;
        rows.push_back(std::move(m));
    }
    return rows;
}

std::vector<MeasuredRow> read_measured_files(const std::vector<std::string>& paths) {
    std::vector<MeasuredRow> rows;
    for (const auto& path : paths) {
        auto part = read_measured(reports::read_located_csv(path));
        rows.insert(rows.end(), part.begin(), part.end());
    }
    return rows;
}

std::map<std::string, MeasuredRow> read_jobs(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CsvError(path, 0, 0, "cannot read the jobs file");
    std::stringstream ss;
    ss << in.rdbuf();
    LocatedCsv f = reports::parse_located_csv(without_comments(ss.str()), path);
    require_columns(f, required_job_columns(), "jobs CSV");
    std::map<std::string, MeasuredRow> jobs;
    for (const auto& r : f.rows) {
        MeasuredRow m;
        m.job = job_of(f, r);
        check_runner_knobs(f, r, m.job);
        m.file = path;
        m.line = r.front().line;
        auto [it, fresh] = jobs.emplace(m.job.job_id, m);
        if (!fresh) {
            const CsvCell& c = cell(f, r, "job_id");
            throw CsvError(path, c.line, c.column, "job '" + m.job.job_id + "' already defined at " + location(path, it->second.line));
        }
    }
    return jobs;
}

double quantile(std::vector<double> xs, double q) {
    std::sort(xs.begin(), xs.end());
    double pos = q * double(xs.size() - 1);
    auto lo = static_cast<std::size_t>(std::floor(pos));
    std::size_t hi = std::min(lo + 1, xs.size() - 1);
    return xs[lo] + (pos - double(lo)) * (xs[hi] - xs[lo]);
}

ErrorStats error_stats(const std::vector<ValidatedJob>& jobs) {
    ErrorStats s;
    if (jobs.empty()) return s;
    std::vector<double> abs;
    for (const auto& j : jobs) {
        abs.push_back(j.abs_pct_err);
        s.mean_signed += j.pct_err;
        if (j.abs_pct_err >= s.max) s.max = j.abs_pct_err, s.max_job = j.job_id + " " + j.decomposition;
    }
    s.jobs = static_cast<long long>(jobs.size());
    s.mean_signed /= double(jobs.size());
    s.median = quantile(abs, 0.5);
    s.p90 = quantile(abs, 0.9);
    return s;
}

Validation validate(const std::vector<MeasuredRow>& rows, const arch::GpuArch& g, const std::string& arch_name,
                    const std::optional<std::map<std::string, MeasuredRow>>& jobs, bool newest) {
    Validation v;
    v.arch = arch_name;
    std::map<std::pair<std::string, std::string>, std::string> seen;
    // newest: the row that measures each job, a job being what ran (decomposition or PyTorch backend) on
    // which problem, whatever the job_id (sdpa_peer.py reuses the ids of the jobs file it was given).
    auto what_ran = [](const GpuJob& j) {
        std::vector<std::string> key = gpu_job_values(j);
        const auto& cols = gpu_job_columns();
        for (std::size_t i = 0; i < cols.size(); ++i)
            if (cols[i] == "job_id" || knob_column(cols[i]))
                key[i].clear();
        return key;
    };
    std::map<std::vector<std::string>, std::size_t> last;
    for (std::size_t i = 0; i < rows.size(); ++i) last[what_ran(rows[i].job)] = i;
    std::set<std::string> gpus;
    for (std::size_t ri = 0; ri < rows.size(); ++ri) {
        const MeasuredRow& r = rows[ri];
        if (std::find(v.files.begin(), v.files.end(), r.file) == v.files.end()) v.files.push_back(r.file);
        const GpuJob& j = r.job;
        std::string where = location(r.file, r.line);
        const std::size_t newer = last.at(what_ran(j));
        if (newest && newer != ri) {
            v.skipped.push_back({j.job_id, j.decomposition, "superseded by a later measurement: " + location(rows[newer].file, rows[newer].line), where});
            continue;
        }
        auto [it, fresh] = seen.emplace(std::make_pair(j.job_id, j.decomposition), where);
        if (!fresh) throw CsvError(r.file, r.line, 1, "job '" + j.job_id + "' (" + j.decomposition + ") measured twice: also at " + it->second);
        if (jobs) {
            auto found = jobs->find(j.job_id);
            if (found == jobs->end()) throw CsvError(r.file, r.line, 1, "unknown job '" + j.job_id + "': not in the jobs file");
            const GpuJob& want = found->second.job;
            auto a = gpu_job_values(j), b = gpu_job_values(want);
            const auto& cols = gpu_job_columns();
            for (std::size_t i = 0; i < cols.size(); ++i) {
                const bool knob = knob_column(cols[i]);
                bool torch_knob = j.is_pytorch_backend() && (cols[i] == "decomposition" || knob);
                if (a[i] != b[i] && !torch_knob && !(newest && knob))
                    throw CsvError(r.file, r.line, 1, "job '" + j.job_id + "': " + cols[i] + " = " + a[i] + " but the jobs file says " + b[i] + " (" +
                                                          location(found->second.file, found->second.line) + ")");
            }
        }
        if (!r.gpu.empty()) gpus.insert(r.gpu);
        if (r.status != "ok") {
            v.skipped.push_back({j.job_id, j.decomposition, "status " + r.status + (r.message.empty() ? "" : ": " + r.message), where});
            continue;
        }
        if (!modelled_decomposition(j.decomposition)) {
            v.skipped.push_back({j.job_id, j.decomposition, "no GPU-SM model for this backend", where});
            continue;
        }
        mappings::GpuMapping m = runner_mapping(j, parse_runner_message(r.message), g, where);
        sim::gpu::GpuResult res;
        try {
            res = sim::gpu::simulate_gpu(j.problem(), m, g, arch_name, "");
        } catch (const einsum::InputError& e) {
            v.skipped.push_back({j.job_id, j.decomposition, std::string("the model rejects the mapping: ") + e.what(), where});
            continue;
        }
        ValidatedJob x;
        x.job_id = j.job_id, x.decomposition = j.decomposition, x.kernel = j.kernel, x.dtype = j.dtype;
        x.B = j.B, x.H = j.H, x.Hkv = j.Hkv, x.E = j.E, x.F = j.F, x.M = j.M, x.P = j.P;
        x.mapping = mappings::describe(m);
        x.binding = res.binding;
        x.predicted_us = res.time_us;
        x.measured_us = r.time_us;
        x.pct_err = (x.predicted_us - x.measured_us) / x.measured_us * 100.0;
        x.abs_pct_err = std::abs(x.pct_err);
        x.where = where;
        v.jobs.push_back(std::move(x));
    }
    for (const auto& name : gpus) v.gpu += (v.gpu.empty() ? "" : "; ") + name;
    v.overall = error_stats(v.jobs);
    std::map<std::string, std::vector<ValidatedJob>> groups;
    for (const auto& j : v.jobs) groups[j.decomposition].push_back(j);
    for (const auto& [d, js] : groups) v.by_decomposition[d] = error_stats(js);
    return v;
}

std::string validation_csv(const Validation& v) {
    reports::Table t;
    t.columns = {"job_id", "decomposition", "predicted_us", "measured_us", "abs_pct_err", "pct_err", "kernel", "dtype", "B", "H", "Hkv",
                 "E",      "F",             "M",            "P",           "mapping",     "binding"};
    for (const auto& j : v.jobs)
        t.add({j.job_id, j.decomposition, fixed(j.predicted_us, 3), fixed(j.measured_us, 3), fixed(j.abs_pct_err, 2), fixed(j.pct_err, 2), j.kernel,
               j.dtype, std::to_string(j.B), std::to_string(j.H), std::to_string(j.Hkv), std::to_string(j.E), std::to_string(j.F),
               std::to_string(j.M), std::to_string(j.P), j.mapping, j.binding});
    return t.csv();
}

nlohmann::ordered_json summary_json(const Validation& v, const arch::GpuArch& g) {
    nlohmann::ordered_json j;
    j["gpu"] = v.gpu;
    j["arch"] = v.arch;
    j["median_abs_pct_err"] = v.overall.median;
    j["p90_abs_pct_err"] = v.overall.p90;
    j["max_abs_pct_err"] = v.overall.max;
    j["max_job"] = v.overall.max_job;
    j["mean_pct_err"] = v.overall.mean_signed;
    j["jobs"] = v.overall.jobs;
    j["skipped"] = static_cast<long long>(v.skipped.size());
    j["measured_files"] = v.files;
    j["by_decomposition"] = nlohmann::ordered_json::object();
    for (const auto& [d, s] : v.by_decomposition) j["by_decomposition"][d] = stats_json(s);
    if (v.held_out) {
        nlohmann::ordered_json h;
        h["fit_set"] = v.fit_set;
        h["fit_jobs"] = v.fit_jobs;
        const nlohmann::ordered_json stats = stats_json(*v.held_out);
        for (const auto& [k, x] : stats.items()) h[k] = x;
        j["held_out_of_fit"] = h;
    }
    j["preset"] = {{"copy_bandwidth_gb_per_s", g.hbm.copy_bandwidth_gb_per_s},
                   {"copy_bandwidth_measured", g.hbm.copy_bandwidth_measured},
                   {"launch_latency_us", g.overheads.launch_latency_us},
                   {"cta_start_ns", g.overheads.cta_start_ns},
                   {"dram_latency_ns", g.overheads.dram_latency_ns},
                   {"read_bandwidth_gb_per_s", g.hbm.read_bandwidth_gb_per_s},
                   {"read_bandwidth_measured", g.hbm.read_bandwidth_measured},
                   {"mma_sync_tflops_fp16", g.sm.mma_sync_tflops.contains(arch::DType::fp16) ? g.sm.mma_sync_tflops.at(arch::DType::fp16) : 0.0},
                   {"mma_sync_measured", g.sm.mma_sync_measured},
                   {"warp_tile_chain_cycles", g.sm.warp_tile_chain_cycles},
                   {"warp_chain_cycles_per_kib", g.sm.warp_chain_cycles_per_kib},
                   {"warp_chain_fitted", g.sm.warp_chain_fitted},
                   {"warp_schedulers", g.sm.warp_schedulers}};
    nlohmann::ordered_json skipped = nlohmann::ordered_json::object();
    for (const auto& s : v.skipped) {
        std::string key = s.reason.substr(0, s.reason.find(':'));
        skipped[key] = skipped.value(key, 0) + 1;
    }
    j["skipped_by_reason"] = skipped;
    return j;
}

std::string preset_for_gpu(const std::string& gpu_name) {
    for (const char* n : {"H200", "H100", "A100"})
        if (gpu_name.find(n) != std::string::npos) {
            std::string s = n;
            for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            return s;
        }
    return "";
}

} // namespace cli
