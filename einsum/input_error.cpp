#include "einsum/input_error.h"

namespace einsum {

std::string SourceLocation::str() const {
    std::string s = file.empty() ? std::string("<input>") : file;
    if (line > 0) {
        s += ":" + std::to_string(line);
        if (column > 0) s += ":" + std::to_string(column);
    }
    if (!key_path.empty()) s += ": " + key_path;
    return s;
}

InputError::InputError(SourceLocation where, const std::string& what)
    : std::runtime_error(where.str() + ": " + what), where_(std::move(where)), reason_(what) {}

} // namespace einsum
