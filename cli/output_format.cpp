#include "cli/output_format.h"

#include <map>

namespace cli {

void add_format_option(CLI::App* cmd, Format& format) {
    std::map<std::string, Format> names{{"table", Format::table}, {"json", Format::json}, {"csv", Format::csv}};
    cmd->add_option("--format", format, "Output format: table, json or csv")
        ->transform(CLI::CheckedTransformer(names, CLI::ignore_case))
        ->default_str("table");
}

} // namespace cli
