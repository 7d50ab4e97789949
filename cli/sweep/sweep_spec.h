// A sweep file: the base design point, named designs, axes (cartesian, or zipped together) over
// key paths, and exclusions. Parsed and checked completely before any point runs.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "einsum/input_error.h"

namespace cli::sweep {

// A value as the sweep file wrote it: TOML text (for arch overrides) and its kind.
struct Value {
    enum class Kind { integer, number, text, boolean } kind = Kind::text;
    std::string toml; // 128, 2.5, "fusemax", true
    std::string text; // unquoted string, or the number as written
    double number = 0;
    einsum::SourceLocation where; // where the sweep file wrote it
    bool operator==(const Value& o) const { return kind == o.kind && text == o.text; }
    std::string str() const { return text; }
};

struct Design {
    std::string cascade, mapping, arch;
    einsum::SourceLocation cascade_at, mapping_at, arch_at; // where the sweep file wrote each
};

struct Axis {
    std::vector<std::string> keys;                 // one key, or several zipped together
    std::vector<std::vector<Value>> values;        // per key, the same length
    std::vector<einsum::SourceLocation> where;     // per key
    std::size_t size() const { return values.empty() ? 0 : values.front().size(); }
};

struct Exclusion {
    std::map<std::string, std::vector<Value>> match; // a point matching every key (any listed value) is skipped
};

struct SweepSpec {
    std::string name, description, file;
    einsum::SourceLocation name_at;                // where the sweep file wrote its name
    std::string sha;                               // FNV-1a 64 of the file's bytes, hex
    std::map<std::string, Value> base;             // key path -> value, applied to every point
    std::map<std::string, Design> designs;
    std::vector<Axis> axes;
    std::vector<Exclusion> exclusions;
    bool end_to_end = false;                       // also model the layer's projections and FFN
};

// Parses and validates a sweep file: unknown key paths, empty axes, values of the wrong type or out of
// range, duplicate axis values, zipped axes of different lengths, unknown designs/models/cascades/
// mappings/presets (in designs too), shape ranks no cascade of the sweep has, exclusions naming values
// not on their axis, a name that cannot be a file name, architecture overrides the presets reject —
// each reported with file:line:column and key path.
SweepSpec load_sweep(const std::string& path);
SweepSpec parse_sweep(const std::string& text, const std::string& file);

} // namespace cli::sweep
