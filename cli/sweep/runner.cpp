#include "cli/sweep/runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <limits>
#include <mutex>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/sweep/csv_output.h"
#include "cli/sweep/evaluate_point.h"
#include "cli/sweep/finished_rows.h"
#include "cli/sweep/points.h"
#include "reports/report_files.h"

namespace cli::sweep {
namespace {

std::atomic<bool> interrupted{false};
extern "C" void on_sigint(int) { interrupted = true; }

std::string now_iso() {
    std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

class Progress {
public:
    Progress(std::size_t total, bool enabled) : total_(total), enabled_(enabled), tty_(::isatty(STDERR_FILENO)) {}
    void tick(std::size_t done) {
        if (!enabled_) return;
        auto now = std::chrono::steady_clock::now();
        double elapsed = std::chrono::duration<double>(now - start_).count();
        std::lock_guard<std::mutex> lock(m_);
        bool last = done == total_;
        if (!last && std::chrono::duration<double>(now - shown_).count() < (tty_ ? 0.1 : 2.0)) return;
        shown_ = now;
        double rate = elapsed > 0 ? done / elapsed : 0;
        double eta = rate > 0 ? (total_ - done) / rate : 0;
        int width = 30, filled = total_ ? static_cast<int>(width * done / total_) : width;
        if (tty_)
            std::fprintf(stderr, "\r[%s%s] %zu/%zu points  %.0f/s  ETA %.0fs ", std::string(filled, '#').c_str(),
                         std::string(width - filled, '.').c_str(), done, total_, rate, eta);
        else
            std::fprintf(stderr, "einsim sweep: %zu/%zu points, %.0f points/s, ETA %.0f s\n", done, total_, rate, eta);
        if (last && tty_) std::fprintf(stderr, "\n");
    }

private:
    std::size_t total_;
    bool enabled_, tty_;
    std::mutex m_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), shown_{};
};

} // namespace

namespace {

// A whole number in [0, max] written as plain digits, nothing before or after.
bool parse_count(const std::string& t, long long max, long long& out) {
    if (t.empty() || t.size() > 18 || !std::all_of(t.begin(), t.end(), [](unsigned char c) { return c >= '0' && c <= '9'; })) return false;
    out = std::stoll(t);
    return out <= max;
}

} // namespace

void parse_shard(const std::string& text, RunOptions& o) {
    std::string t = text;
    std::string from = "--shard";
    if (t.empty()) {
        const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
        const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
        if (!id && !count) return;
        if (!id || !count)
            throw einsum::InputError({id ? "SLURM_ARRAY_TASK_COUNT" : "SLURM_ARRAY_TASK_ID", 0, 0, ""},
                                     "is not set, but SLURM_ARRAY_TASK_" + std::string(id ? "ID" : "COUNT") + " is: cannot tell this task's shard");
        // sbatch --array=MIN-MAX:STEP numbers its tasks MIN, MIN+STEP, ...: the shard is the task's
        // position in that list, (ID - MIN) / STEP, of COUNT.
        const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
        const char* step = std::getenv("SLURM_ARRAY_TASK_STEP");
        long long i = 0, n = 0, m = 0, st = 1;
        const long long max = std::numeric_limits<int>::max();
        if (!parse_count(id, max, i)) throw einsum::InputError({"SLURM_ARRAY_TASK_ID", 0, 0, ""}, "expected a task number, got '" + std::string(id) + "'");
        if (!parse_count(count, max, n)) throw einsum::InputError({"SLURM_ARRAY_TASK_COUNT", 0, 0, ""}, "expected a task count, got '" + std::string(count) + "'");
        if (min && !parse_count(min, max, m)) throw einsum::InputError({"SLURM_ARRAY_TASK_MIN", 0, 0, ""}, "expected a task number, got '" + std::string(min) + "'");
        if (step && (!parse_count(step, max, st) || st < 1))
            throw einsum::InputError({"SLURM_ARRAY_TASK_STEP", 0, 0, ""}, "expected a step of at least 1, got '" + std::string(step) + "'");
        const std::string task = "task " + std::to_string(i) + " of an array from " + std::to_string(m) + " in steps of " + std::to_string(st);
        if (i < m) throw einsum::InputError({"SLURM_ARRAY_TASK_ID", 0, 0, ""}, task + ": the ID is below SLURM_ARRAY_TASK_MIN");
        if ((i - m) % st != 0)
            throw einsum::InputError({"SLURM_ARRAY_TASK_ID", 0, 0, ""}, task + ": ID - MIN is not a multiple of SLURM_ARRAY_TASK_STEP");
        if (n < 1 || (i - m) / st >= n)
            throw einsum::InputError({"SLURM_ARRAY_TASK_ID", 0, 0, ""}, task + " is task number " + std::to_string((i - m) / st) + " of it, but SLURM_ARRAY_TASK_COUNT is " +
                                                                         std::to_string(n) + " (an array of uneven indices, such as --array=1,4,9, cannot be sharded: use --shard i/N)");
        t = std::to_string((i - m) / st) + "/" + std::to_string(n);
        from = "SLURM_ARRAY_TASK_ID/COUNT/MIN/STEP";
    }
    auto slash = t.find('/');
    long long i = -1, n = 0;
    const long long max = std::numeric_limits<int>::max();
    bool ok = slash != std::string::npos && parse_count(t.substr(0, slash), max, i) && parse_count(t.substr(slash + 1), max, n) && n >= 1 && i < n;
    if (!ok)
        throw einsum::InputError({from, 0, 0, ""}, "expected i/N with whole numbers 0 <= i < N <= " + std::to_string(max) + ", got '" + t + "'");
    o.shard_index = static_cast<int>(i);
    o.shard_count = static_cast<int>(n);
}

RunStats run_sweep(const SweepSpec& s, const RunOptions& o) {
    auto start = std::chrono::steady_clock::now();
    std::vector<Point> all = enumerate_points(s);
    std::vector<Point> mine;
    for (const auto& p : all)
        if (static_cast<int>(p.index % static_cast<std::size_t>(o.shard_count)) == o.shard_index) mine.push_back(p);
    CsvOutput out(o.out, row_columns(s), o.resume, o.force,
                  [&](const reports::CsvFile& f) { check_resumable(s, f, o.shard_index, o.shard_count); });
    RunStats st;
    st.total = mine.size();
    std::vector<const Point*> todo;
    for (const auto& p : mine) {
        if (out.done().count(p.key())) ++st.skipped;
        else todo.push_back(&p);
    }
    // The sidecar goes out before the first point, so that a run killed outright (no chance to
    // write it at the end) still tells --resume which sweep file its rows come from.
    RunStats started = st;
    started.running = true;
    write_sidecar(s, o, started, "threads");
    interrupted = false;
    auto previous = std::signal(SIGINT, on_sigint);
    std::atomic<std::size_t> next{0}, finished{0}, illegal{0};
    const std::vector<std::string> columns = row_columns(s);
    const std::size_t status_column = static_cast<std::size_t>(std::find(columns.begin(), columns.end(), "status") - columns.begin());
    Progress progress(todo.size(), o.progress);
    auto worker = [&]() {
        PointCache cache;
        for (;;) {
            if (interrupted) return;
            std::size_t i = next++;
            if (i >= todo.size()) return;
            std::vector<std::string> row = evaluate_point(s, *todo[i], cache);
            if (row[status_column] != "ok") ++illegal;
            out.append(row);
            progress.tick(++finished);
        }
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < std::max(1, o.threads); ++t) pool.emplace_back(worker);
    for (auto& th : pool) th.join();
    std::signal(SIGINT, previous);
    st.run = finished;
    st.illegal = illegal;
    st.interrupted = interrupted;
    st.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return st;
}

void write_sidecar(const SweepSpec& s, const RunOptions& o, const RunStats& st, const std::string& mode) {
    nlohmann::ordered_json j{{"sweep", s.name},
                             {"sweep_file", s.file},
                             {"sweep_fnv1a64", s.sha},
                             {"einsim_version", "0.1.0"},
                             {"compiler", __VERSION__},
                             {"mode", mode},
                             {st.running ? "started_at" : "finished_at", now_iso()},
                             {"shard", std::to_string(o.shard_index) + "/" + std::to_string(o.shard_count)},
                             {"threads", o.threads},
                             {"points_in_shard", st.total},
                             {"points_already_done", st.skipped},
                             {"points_run", st.run},
                             {"points_illegal", st.illegal},
                             {"interrupted", st.interrupted},
                             {"running", st.running},
                             {"wall_s", st.wall_s},
                             {"points_per_s", st.wall_s > 0 ? st.run / st.wall_s : 0.0}};
    reports::write_files_atomically({{o.out + ".json", j.dump(2) + "\n"}});
}

} // namespace cli::sweep
