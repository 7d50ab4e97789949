// Options given an empty value (`-o ""`, `--jobs ""`, a trailing comma in a list) are refused
// before any command runs: an empty path or name would otherwise mean "not given" (stdout, no
// file) or a file named only by its extension, without a word.
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "einsum/input_error.h"

namespace cli {

// Throws einsum::InputError naming the first option of `cmd` (or of a subcommand it ran) that was
// given an empty value.
inline void refuse_empty_values(const CLI::App& cmd) {
    for (const CLI::Option* opt : cmd.get_options()) {
        if (opt->count() == 0 || opt->get_type_size() == 0) continue; // flags carry no value
        for (const std::string& v : opt->results())
            if (v.empty())
                throw einsum::InputError({opt->get_name(), 0, 0, ""},
                                         opt->get_name() + " was given an empty value" + (opt->get_expected_max() > 1 ? " (an empty item in its list)" : ""));
    }
    for (const CLI::App* sub : cmd.get_subcommands()) refuse_empty_values(*sub);
}

} // namespace cli
