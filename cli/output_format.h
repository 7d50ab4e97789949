// The --format option every command takes, and printing a result in the chosen format.
#pragma once
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "reports/table.h"

namespace cli {

enum class Format { table, json, csv };

void add_format_option(CLI::App* cmd, Format& format);

} // namespace cli
