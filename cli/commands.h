// Registration of the einsim subcommands; each returns the process exit code through `result`.
#pragma once
#include <CLI/CLI.hpp>

namespace cli {

// Exit codes: 0 success, 1 bad input (file, shape, option values), 2 usage error, 3 a check
// failed (e.g. error above --max-error).
constexpr int exit_ok = 0, exit_input = 1, exit_usage = 2, exit_check_failed = 3;

void add_check_command(CLI::App& app, int& result);
void add_eval_command(CLI::App& app, int& result);
void add_simulate_command(CLI::App& app, int& result);
// The `compare` parent subcommand, created on first use; comparisons register under it.
CLI::App* compare_command(CLI::App& app);
void add_compare_fusemax_command(CLI::App& app, int& result);
void add_compare_decode_command(CLI::App& app, int& result);
void add_map_command(CLI::App& app, int& result);
void add_bench_command(CLI::App& app, int& result);
void add_sweep_commands(CLI::App& app, int& result);
void add_report_command(CLI::App& app, int& result);
void add_sparsity_command(CLI::App& app, int& result);
// einsim gpu-jobs and einsim validate: the jobs einsim-gpu measures, and measured against predicted.
void add_gpu_jobs_command(CLI::App& app, int& result);
void add_validate_command(CLI::App& app, int& result);
// einsim gpu-compare: our measured kernels against PyTorch SDPA of the same run.
void add_gpu_compare_command(CLI::App& app, int& result);

} // namespace cli
