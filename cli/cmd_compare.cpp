// einsim compare: the parent of the comparison commands (fusemax-vs-flat, decode, ...).
#include "cli/commands.h"

namespace cli {

CLI::App* compare_command(CLI::App& app) {
    for (CLI::App* sub : app.get_subcommands([](const CLI::App* a) { return a->get_name() == "compare"; })) return sub;
    CLI::App* cmd = app.add_subcommand("compare", "Run a named comparison of designs over models and sequence lengths");
    cmd->require_subcommand(1);
    return cmd;
}

} // namespace cli
