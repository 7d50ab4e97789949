#include "arch/arch_error.h"

namespace arch {

std::string ArchLocation::str() const {
    std::string s = file.empty() ? std::string("<input>") : file;
    if (line > 0) {
        s += ":" + std::to_string(line);
        if (column > 0) s += ":" + std::to_string(column);
    }
    if (!key_path.empty()) s += ": " + key_path;
    return s;
}

ArchError::ArchError(ArchLocation where, const std::string& reason)
    : std::runtime_error(where.str() + ": " + reason), where_(std::move(where)), reason_(reason) {}

} // namespace arch
