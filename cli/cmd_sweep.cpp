// einsim sweep FILE: run every point of a sweep file into a CSV (resumable, shardable, over MPI);
// einsim merge: join shard CSVs, checking that no point is missing or present twice.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "cli/commands.h"
#include "cli/sweep/csv_output.h"
#include "cli/sweep/evaluate_point.h"
#include "cli/sweep/finished_rows.h"
#include "cli/sweep/mpi_runner.h"
#include "cli/sweep/points.h"
#include "cli/sweep/runner.h"
#include "reports/csv_read.h"
#include "reports/located_csv.h"
#include "reports/report_files.h"

namespace cli {
namespace {

struct SweepOptions {
    std::string file, out, shard;
    int threads = 0;
    bool resume = false, force = false, mpi = false, quiet = false;
};

int run_sweep_command(const SweepOptions& o) {
    sweep::SweepSpec s = sweep::load_sweep(o.file);
    sweep::RunOptions ro;
    ro.out = o.out.empty() ? s.name + ".csv" : o.out;
    // The output must not be the sweep file itself, nor something that is not a regular file.
    reports::check_output_path(ro.out, {o.file});
    ro.threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    ro.resume = o.resume;
    ro.force = o.force;
    ro.progress = !o.quiet;
    sweep::parse_shard(o.shard, ro);
    if (o.mpi) {
        int rank = 0;
        sweep::RunStats st = sweep::run_sweep_mpi(s, ro, &rank);
        if (rank == 0) {
            sweep::write_sidecar(s, ro, st, "mpi");
            if (!o.quiet)
                std::cerr << "einsim sweep: " << st.run << " points run over MPI (" << st.skipped << " already done, " << st.illegal << " illegal) in "
                          << st.wall_s << " s -> " << ro.out << "\n";
        }
        return exit_ok;
    }
    sweep::RunStats st = sweep::run_sweep(s, ro);
    sweep::write_sidecar(s, ro, st, "threads");
    if (!o.quiet)
        std::cerr << "einsim sweep: " << st.run << " points run (" << st.skipped << " already done, " << st.illegal << " illegal) in " << st.wall_s
                  << " s, " << (st.wall_s > 0 ? st.run / st.wall_s : 0.0) << " points/s -> " << ro.out << "\n";
    if (st.interrupted) {
        std::cerr << "einsim sweep: interrupted; finished rows are kept, run again with --resume\n";
        return 130;
    }
    return exit_ok;
}

struct MergeOptions {
    std::string sweep, out;
    std::vector<std::string> inputs;
};

int run_merge(const MergeOptions& o) {
    sweep::SweepSpec s = sweep::load_sweep(o.sweep);
    const std::vector<std::string> header = sweep::row_columns(s);
    const std::vector<sweep::Point> all = sweep::enumerate_points(s);
    const auto points = sweep::points_by_index(all);
    std::map<std::size_t, std::vector<std::string>> rows;
    std::vector<std::string> duplicates;
    for (const auto& in : o.inputs) {
        reports::CsvFile f;
        try {
            f = reports::read_csv(in);
        } catch (const reports::CsvError& e) {
            throw einsum::InputError({e.file(), e.line(), e.column(), ""}, e.reason());
        }
        if (f.header != header) throw einsum::InputError({in, 1, 1, ""}, "columns differ from the sweep's: not a shard of " + o.sweep);
        if (f.truncated_last_line) throw einsum::InputError({in, 0, 0, ""}, "ends with a partial row: finish it with einsim sweep --resume first");
        for (std::size_t r = 0; r < f.rows.size(); ++r) {
            // Each row must be the row of the point its index names (key, parameters, numbers).
            std::size_t index = sweep::check_finished_row(s, points, f, r).index;
            if (rows.count(index)) duplicates.push_back(in + ":" + std::to_string(f.row_lines[r]) + ": " + f.rows[r][1]);
            else rows[index] = f.rows[r];
        }
    }
    std::vector<std::string> missing;
    for (const auto& p : all)
        if (!rows.count(p.index)) missing.push_back(p.key());
    if (!duplicates.empty() || !missing.empty()) {
        // The first few of each: a shard given twice would otherwise list every one of its rows.
        constexpr std::size_t listed = 20;
        for (std::size_t i = 0; i < duplicates.size() && i < listed; ++i) std::cerr << "einsim merge: duplicate point " << duplicates[i] << "\n";
        if (duplicates.size() > listed) std::cerr << "einsim merge: ... and " << duplicates.size() - listed << " more duplicate points\n";
        for (std::size_t i = 0; i < missing.size() && i < listed; ++i) std::cerr << "einsim merge: missing point " << missing[i] << "\n";
        if (missing.size() > listed) std::cerr << "einsim merge: ... and " << missing.size() - listed << " more missing points\n";
        throw einsum::InputError({o.sweep, 0, 0, ""}, std::to_string(duplicates.size()) + " duplicate and " + std::to_string(missing.size()) +
                                                          " missing points; nothing written");
    }
    std::string text = sweep::csv_line(header);
    for (const auto& [i, r] : rows) text += sweep::csv_line(r);
    std::vector<std::string> inputs = o.inputs;
    inputs.push_back(o.sweep);
    reports::write_files_atomically({{o.out, text}}, inputs);
    std::cerr << "einsim merge: " << rows.size() << " points from " << o.inputs.size() << " files -> " << o.out << "\n";
    return exit_ok;
}

} // namespace

void add_sweep_commands(CLI::App& app, int& result) {
    auto o = std::make_shared<SweepOptions>();
    CLI::App* cmd = app.add_subcommand("sweep", "Run every point of a sweep file into a CSV");
    cmd->add_option("file", o->file, "Sweep TOML file")->required();
    cmd->add_option("-o,--out", o->out, "CSV to write (default: <sweep name>.csv); a JSON sidecar goes next to it");
    cmd->add_option("-j,--threads", o->threads, "Worker threads (default: all cores)")->check(CLI::NonNegativeNumber);
    CLI::Option* resume = cmd->add_flag("--resume", o->resume, "Keep the rows already in the output and run only the missing points");
    cmd->add_flag("--force", o->force, "Overwrite an existing output")->excludes(resume);
    cmd->add_option("--shard", o->shard, "Run slice i/N of the points (default: Slurm array variables when set)");
    cmd->add_flag("--mpi", o->mpi, "Distribute points over MPI ranks (mpirun -n K einsim sweep --mpi FILE)");
    cmd->add_flag("-q,--quiet", o->quiet, "No progress on stderr");
    cmd->callback([o, &result] { result = run_sweep_command(*o); });

    auto m = std::make_shared<MergeOptions>();
    CLI::App* merge = app.add_subcommand("merge", "Join shard CSVs of one sweep, checking for missing and duplicate points");
    merge->add_option("--sweep", m->sweep, "The sweep file the shards come from")->required();
    merge->add_option("inputs", m->inputs, "Shard CSVs")->required();
    merge->add_option("-o,--out", m->out, "Merged CSV")->required();
    merge->callback([m, &result] { result = run_merge(*m); });
}

} // namespace cli
