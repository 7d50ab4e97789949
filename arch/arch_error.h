// The error raised for any bad hardware description: located at file:line:column and key path,
// so that a typo in a preset or a sweep override is reported where it was written.
#pragma once
#include <stdexcept>
#include <string>

namespace arch {

struct ArchLocation {
    std::string file;     // path or label as the user gave it; empty when unknown
    int line = 0;         // 1-based; 0 when unknown
    int column = 0;       // 1-based; 0 when unknown
    std::string key_path; // e.g. array2d.rows or memory[1].capacity_bytes; empty for the whole file

    // "FILE:LINE:COL: KEY.PATH", leaving out the parts that are unknown.
    std::string str() const;
    bool operator==(const ArchLocation&) const = default;
};

class ArchError : public std::runtime_error {
public:
    // what() is "FILE:LINE:COL: KEY.PATH: reason".
    ArchError(ArchLocation where, const std::string& reason);
    const ArchLocation& where() const { return where_; }
    const std::string& reason() const { return reason_; }

private:
    ArchLocation where_;
    std::string reason_;
};

} // namespace arch
