// The einsim command: parses arguments, runs one subcommand, prints input errors once and exits
// with a non-zero code.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/empty_values.h"
#include "einsum/input_error.h"

int main(int argc, char** argv) {
    CLI::App app{"einsim: design-space exploration for attention hardware"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "einsim 0.1.0");
    int result = cli::exit_ok;
    cli::add_check_command(app, result);
    cli::add_eval_command(app, result);
    cli::add_simulate_command(app, result);
    cli::add_compare_fusemax_command(app, result);
    cli::add_compare_decode_command(app, result);
    cli::add_map_command(app, result);
    cli::add_bench_command(app, result);
    cli::add_sweep_commands(app, result);
    cli::add_report_command(app, result);
    cli::add_sparsity_command(app, result);
    cli::add_gpu_jobs_command(app, result);
    cli::add_validate_command(app, result);
    cli::add_gpu_compare_command(app, result);
    // Runs once parsing is done, before the chosen command's callback.
    app.parse_complete_callback([&app] { cli::refuse_empty_values(app); });
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : cli::exit_usage;
    } catch (const einsum::InputError& e) {
        std::cerr << "einsim: error: " << e.what() << "\n";
        return cli::exit_input;
    } catch (const std::exception& e) {
        std::cerr << "einsim: error: " << e.what() << "\n";
        return cli::exit_input;
    }
    return result;
}
