// An error in user input (a cascade file, a shape binding), located at file:line:column and key path.
#pragma once
#include <stdexcept>
#include <string>

namespace einsum {

struct SourceLocation {
    std::string file;     // path as the user gave it; empty for command-line input
    int line = 0;         // 1-based; 0 when unknown
    int column = 0;       // 1-based; 0 when unknown
    std::string key_path; // e.g. einsum[3].expr

    std::string str() const;
};

class InputError : public std::runtime_error {
public:
    InputError(SourceLocation where, const std::string& what);
    const SourceLocation& where() const { return where_; }
    const std::string& reason() const { return reason_; }

private:
    SourceLocation where_;
    std::string reason_;
};

} // namespace einsum
