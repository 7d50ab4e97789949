// Printing an architecture as TOML that parse_arch reads back to an equal value.
#pragma once
#include <iosfwd>
#include <string>

#include "arch/arch.h"

namespace arch {

std::string to_toml(const Arch& arch);
std::ostream& operator<<(std::ostream& out, const Arch& arch);

} // namespace arch
