#include "cli/peer_comparison.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "einsum/input_error.h"
#include "reports/located_csv.h"
#include "reports/report_model.h"
#include "reports/table.h"

namespace cli {
namespace {

using reports::CsvError;

using reports::fixed;

// The problem columns a backend row must share with ours (the mapping columns may differ).
std::vector<std::pair<std::string, std::string>> problem_of(const GpuJob& j) {
    return {{"kernel", j.kernel},          {"dtype", j.dtype},           {"B", std::to_string(j.B)}, {"H", std::to_string(j.H)},
            {"Hkv", std::to_string(j.Hkv)}, {"E", std::to_string(j.E)}, {"F", std::to_string(j.F)}, {"M", std::to_string(j.M)},
            {"P", std::to_string(j.P)}};
}

// values: (job_id, value) of the jobs in the set.
TargetResult target_result(const std::vector<std::pair<std::string, double>>& values, double target) {
    TargetResult r;
    r.target = target;
    r.jobs = static_cast<long long>(values.size());
    r.min = r.max = std::numeric_limits<double>::quiet_NaN(); // no jobs in the set: null in the JSON
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto& [id, v] = values[i];
        r.min = i == 0 ? v : std::min(r.min, v);
        r.max = i == 0 ? v : std::max(r.max, v);
        if (v >= target) ++r.met;
        else r.missed.push_back({id, v});
    }
    std::sort(r.missed.begin(), r.missed.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    return r;
}

nlohmann::ordered_json target_json(const TargetResult& r, const std::string& set) {
    nlohmann::ordered_json j;
    if (!set.empty()) j["set"] = set;
    j["target"] = r.target;
    j["jobs"] = r.jobs;
    j["met"] = r.met;
    j["min"] = std::isfinite(r.min) ? nlohmann::ordered_json(r.min) : nlohmann::ordered_json(nullptr);
    j["max"] = std::isfinite(r.max) ? nlohmann::ordered_json(r.max) : nlohmann::ordered_json(nullptr);
    j["missed"] = nlohmann::ordered_json::array();
    for (const auto& [id, v] : r.missed) j["missed"].push_back({{"job_id", id}, {"value", v}});
    return j;
}

} // namespace

PeerComparison compare_with_peers(const std::vector<MeasuredRow>& ours, const std::vector<MeasuredRow>& peers, const std::string& decomposition,
                                  double copy_gb_per_s, const PeerTargets& targets) {
    PeerComparison c;
    c.decomposition = decomposition;
    c.copy_gb_per_s = copy_gb_per_s;
    auto note_file = [&](const std::string& f) {
        if (std::find(c.files.begin(), c.files.end(), f) == c.files.end()) c.files.push_back(f);
    };

    // The backends' rows by job: (backend -> row), each (job, backend) once.
    std::map<std::string, std::map<std::string, const MeasuredRow*>> by_job;
    std::set<std::string> backends;
    for (const MeasuredRow& r : peers) {
        note_file(r.file);
        if (!r.job.is_pytorch_backend())
            throw CsvError(r.file, r.line, 1, "job '" + r.job.job_id + "': decomposition '" + r.job.decomposition +
                                                  "' is not a PyTorch backend (torch_*); give einsim-gpu's files to --measured");
        auto [it, fresh] = by_job[r.job.job_id].emplace(r.job.decomposition, &r);
        if (!fresh)
            throw CsvError(r.file, r.line, 1, "job '" + r.job.job_id + "' (" + r.job.decomposition + ") measured twice: also at " +
                                                  reports::csv_location(it->second->file, it->second->line));
        if (r.status == "ok") backends.insert(r.job.decomposition);
    }
    c.peers.assign(backends.begin(), backends.end());

    std::map<std::string, std::string> seen; // our job_id -> file:line
    std::set<std::string> gpus;
    for (const MeasuredRow& r : ours) {
        note_file(r.file);
        const GpuJob& j = r.job;
        const std::string where = reports::csv_location(r.file, r.line);
        if (j.is_pytorch_backend())
            throw CsvError(r.file, r.line, 1, "job '" + j.job_id + "': '" + j.decomposition + "' is a PyTorch backend; give sdpa_peer.py's files to --peers");
        if (j.decomposition != decomposition) {
            c.skipped.push_back({j.job_id, j.decomposition, "not the compared decomposition (" + decomposition + ")", where});
            continue;
        }
        auto [it, fresh] = seen.emplace(j.job_id, where);
        if (!fresh) throw CsvError(r.file, r.line, 1, "job '" + j.job_id + "' (" + j.decomposition + ") measured twice: also at " + it->second);
        if (r.status != "ok") {
            c.skipped.push_back({j.job_id, j.decomposition, "status " + r.status + (r.message.empty() ? "" : ": " + r.message), where});
            continue;
        }
        if (!r.gpu.empty()) gpus.insert(r.gpu);
        PeerComparedJob x;
        x.job = j;
        x.ours_us = r.time_us;
        x.where = where;
        auto found = by_job.find(j.job_id);
        if (found != by_job.end()) {
            const auto want = problem_of(j);
            for (const auto& [backend, p] : found->second) {
                const auto have = problem_of(p->job);
                for (std::size_t i = 0; i < want.size(); ++i)
                    if (have[i].second != want[i].second)
                        throw CsvError(p->file, p->line, 1, "job '" + j.job_id + "': " + want[i].first + " = " + have[i].second + " but " + where +
                                                                " (" + decomposition + ") has " + want[i].second);
                if (p->status != "ok") continue;
                x.peer_us[backend] = p->time_us;
                if (x.best_peer.empty() || p->time_us < x.best_peer_us) x.best_peer = backend, x.best_peer_us = p->time_us;
            }
        }
        if (x.best_peer.empty()) {
            c.skipped.push_back({j.job_id, j.decomposition, "no PyTorch backend measured it (status ok) in --peers", where});
            continue;
        }
        x.speedup_vs_best = x.best_peer_us / x.ours_us;
        x.gb_per_s = double(j.compulsory_bytes()) / (x.ours_us * 1e3);
        x.copy_fraction = copy_gb_per_s > 0 ? x.gb_per_s / copy_gb_per_s : 0;
        x.in_short = targets.short_set && matches(*targets.short_set, j);
        x.in_long = targets.long_set && matches(*targets.long_set, j);
        c.jobs.push_back(std::move(x));
    }
    for (const auto& name : gpus) c.gpu += (c.gpu.empty() ? "" : "; ") + name;
    if (c.jobs.empty())
        throw einsum::InputError({ours.empty() ? std::string("--measured") : ours.front().file, 0, 0, ""},
                                 "no " + decomposition + " job of --measured has a PyTorch backend's time in --peers (" + std::to_string(c.skipped.size()) +
                                     " skipped)");

    std::vector<std::pair<std::string, double>> all, shorts, longs;
    std::vector<double> speedups;
    std::map<std::string, std::vector<double>> vs_peer;
    std::map<std::string, std::vector<std::pair<std::string, double>>> short_vs_peer;
    for (const auto& x : c.jobs) {
        all.push_back({x.job.job_id, x.speedup_vs_best});
        speedups.push_back(x.speedup_vs_best);
        if (x.in_short) shorts.push_back({x.job.job_id, x.speedup_vs_best});
        if (x.in_long) longs.push_back({x.job.job_id, x.copy_fraction});
        for (const auto& [backend, t] : x.peer_us) {
            vs_peer[backend].push_back(t / x.ours_us);
            if (x.in_short) short_vs_peer[backend].push_back({x.job.job_id, t / x.ours_us});
        }
    }
    c.geomean_vs_best = reports::stats(speedups).geomean;
    for (const auto& [backend, xs] : vs_peer) c.vs_peer[backend] = reports::stats(xs);
    c.all = target_result(all, targets.min_speedup);
    c.short_jobs = target_result(shorts, targets.short_speedup);
    c.long_jobs = target_result(longs, targets.long_copy_fraction);
    for (const auto& [backend, xs] : short_vs_peer) c.short_vs_peer[backend] = target_result(xs, targets.short_speedup);
    return c;
}

void add_read_floor(PeerComparison& c, const ReadFloor& floor) {
    c.read_floor_file = floor.file;
    std::vector<double> ours, best, long_ours, long_best;
    for (auto& x : c.jobs) {
        x.read_floor_us = read_floor_us(floor, double(x.job.compulsory_bytes()));
        x.of_read_floor = x.read_floor_us / x.ours_us;
        ours.push_back(x.of_read_floor);
        best.push_back(x.read_floor_us / x.best_peer_us);
        if (x.in_long) long_ours.push_back(ours.back()), long_best.push_back(best.back());
    }
    c.of_read_floor = reports::stats(ours);
    c.best_of_read_floor = reports::stats(best);
    if (!long_ours.empty()) c.long_of_read_floor = reports::stats(long_ours), c.long_best_of_read_floor = reports::stats(long_best);
}

std::string peer_comparison_csv(const PeerComparison& c) {
    reports::Table t;
    t.columns = {"job_id", "decomposition", "kernel", "dtype", "B", "H", "Hkv", "E", "F", "M", "P", "tile_n", "warps", "ctas_per_sm", "grid_ctas", "cluster", "ours_us"};
    for (const auto& p : c.peers) t.columns.push_back(p + "_us");
    for (const std::string col : {"best_peer", "best_peer_us", "speedup_vs_best"}) t.columns.push_back(col);
    for (const auto& p : c.peers) t.columns.push_back("speedup_vs_" + p);
    for (const std::string col : {"gb_per_s", "copy_fraction", "in_short", "in_long", "target_speedup", "target_copy_fraction"}) t.columns.push_back(col);
    const bool floor = !c.read_floor_file.empty();
    if (floor)
        for (const std::string col : {"read_floor_us", "of_read_floor", "best_peer_of_read_floor"}) t.columns.push_back(col);
    for (const auto& x : c.jobs) {
        const GpuJob& j = x.job;
        std::vector<std::string> row = {j.job_id,
                                        j.decomposition,
                                        j.kernel,
                                        j.dtype,
                                        std::to_string(j.B),
                                        std::to_string(j.H),
                                        std::to_string(j.Hkv),
                                        std::to_string(j.E),
                                        std::to_string(j.F),
                                        std::to_string(j.M),
                                        std::to_string(j.P),
                                        std::to_string(j.tile_n),
                                        std::to_string(j.warps),
                                        std::to_string(j.ctas_per_sm),
                                        std::to_string(j.grid_ctas),
                                        std::to_string(j.cluster),
                                        fixed(x.ours_us, 3)};
        for (const auto& p : c.peers) row.push_back(x.peer_us.contains(p) ? fixed(x.peer_us.at(p), 3) : "");
        row.push_back(x.best_peer);
        row.push_back(fixed(x.best_peer_us, 3));
        row.push_back(fixed(x.speedup_vs_best, 4));
        for (const auto& p : c.peers) row.push_back(x.peer_us.contains(p) ? fixed(x.peer_us.at(p) / x.ours_us, 4) : "");
        row.push_back(fixed(x.gb_per_s, 1));
        row.push_back(fixed(x.copy_fraction, 4));
        row.push_back(x.in_short ? "1" : "0");
        row.push_back(x.in_long ? "1" : "0");
        // The targets the jobs were held to (--min-speedup; --copy-fraction for the long set), so
        // that `einsim report --peers` draws and counts against them.
        row.push_back(fixed(c.all.target, 4));
        row.push_back(x.in_long ? fixed(c.long_jobs.target, 4) : "");
        if (floor) {
            row.push_back(fixed(x.read_floor_us, 3));
            row.push_back(fixed(x.of_read_floor, 4));
            row.push_back(fixed(x.read_floor_us / x.best_peer_us, 4));
        }
        t.add(row);
    }
    return t.csv();
}

nlohmann::ordered_json peer_summary_json(const PeerComparison& c, const PeerTargets& t) {
    nlohmann::ordered_json j;
    j["gpu"] = c.gpu;
    j["decomposition"] = c.decomposition;
    j["jobs"] = static_cast<long long>(c.jobs.size());
    j["skipped"] = static_cast<long long>(c.skipped.size());
    j["measured_files"] = c.files;
    j["peers"] = c.peers;
    j["copy_bandwidth_gb_per_s"] = c.copy_gb_per_s;
    j["geomean_speedup_vs_best"] = c.geomean_vs_best;
    j["vs_peer"] = nlohmann::ordered_json::object();
    for (const auto& [p, s] : c.vs_peer) j["vs_peer"][p] = {{"geomean", s.geomean}, {"min", s.min}, {"max", s.max}};
    j["speedup_vs_best"] = target_json(c.all, "");
    j["short_speedup_vs_best"] = target_json(c.short_jobs, t.short_set ? t.short_set->spec : "");
    j["short_speedup_vs_peer"] = nlohmann::ordered_json::object();
    for (const auto& [p, r] : c.short_vs_peer) j["short_speedup_vs_peer"][p] = target_json(r, "");
    j["long_copy_fraction"] = target_json(c.long_jobs, t.long_set ? t.long_set->spec : "");
    if (!c.read_floor_file.empty()) {
        auto stats = [](const reports::Stats& s) {
            return nlohmann::ordered_json{{"geomean", s.geomean}, {"min", s.min}, {"max", s.max}};
        };
        nlohmann::ordered_json f;
        f["file"] = c.read_floor_file;
        f["ours"] = stats(c.of_read_floor);
        f["best_peer"] = stats(c.best_of_read_floor);
        if (c.long_jobs.jobs > 0) f["long_ours"] = stats(c.long_of_read_floor), f["long_best_peer"] = stats(c.long_best_of_read_floor);
        j["of_read_floor"] = f;
    }
    return j;
}

} // namespace cli
