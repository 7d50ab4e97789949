// An architecture named on the command line (a preset or a TOML file) with its --set KEY=VALUE
// overrides applied: one reading for every command that takes --arch and --set.
#pragma once
#include <string>
#include <vector>

#include "arch/arch.h"

namespace cli {

// Loads `name` (a TOML file when one exists at that path, else a preset) and applies `sets` in order.
// Throws einsum::InputError / arch::ArchError naming --set for an override without '=', a key given
// twice (one would silently win), or a value the architecture refuses.
arch::Arch load_arch_with_overrides(const std::string& name, const std::vector<std::string>& sets);

} // namespace cli
