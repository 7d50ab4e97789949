// Reads a cascade from its TOML form and validates it (see validate.h).
#pragma once
#include <string>
#include <string_view>

#include "einsum/cascade.h"

namespace einsum {

// Throws InputError naming file, line, column and key path for any malformed or invalid input.
Cascade parse_cascade(std::string_view toml_text, const std::string& file_label);
Cascade load_cascade(const std::string& path);

} // namespace einsum
