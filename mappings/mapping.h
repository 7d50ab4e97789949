// A mapping: how a cascade runs on an architecture — extra rank splits, tile sizes, fused groups
// with their loop order at each memory level, the unit and spatial ranks of every Einsum, and which
// tensors never leave a unit. A plain value: printed, saved as TOML, loaded, compared, searched.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "einsum/input_error.h"

namespace mappings {

enum class Unit { array2d, array1d };
const char* name(Unit u);

// rank → parts (outer first), e.g. P → [P2, P1, P0]; the inner extents come from `tiles`.
struct Split {
    std::string rank;
    std::vector<std::string> parts;
    bool operator==(const Split&) const = default;
};

// A tile extent: a number, or a template to instantiate per shape and architecture:
// "array2d.rows" / "array2d.cols" / "array1d.lanes", or "fit:<bound>" — the largest power of two up
// to the bound for which the mapping still fits the buffers.
// The largest bound a "fit:<bound>" template may give (a tile of 2^40 is far past any buffer).
constexpr std::int64_t max_fit_bound = std::int64_t{1} << 40;

struct TileValue {
    std::int64_t value = 0;  // when fixed
    std::string expr;        // when a template
    bool operator==(const TileValue&) const = default;
};

enum class Overlap { serial, pipeline };
const char* name(Overlap o);

struct Group {
    std::string name;
    std::vector<std::string> einsums;
    std::vector<std::string> dram_loops;   // loop variables, outer first, at the DRAM → buffer level
    std::vector<std::string> buffer_loops; // shared loops at the buffer level, inside the DRAM loops
    Overlap overlap = Overlap::serial;     // units run concurrently over iterations, or one after another
    bool double_buffer = true;             // tiles from DRAM are double-buffered (overlap with compute)
    std::vector<std::string> in_unit;      // tensors kept in the registers of the unit that makes them
    bool operator==(const Group&) const = default;
};

struct EinsumMapping {
    Unit unit = Unit::array2d;
    // This Einsum's own DRAM-level loops, nested inside its group's DRAM loops: tiles indexed by
    // them stream from DRAM (FLAT's per-row-block sweep over M).
    std::vector<std::string> loops;
    std::vector<std::string> rows; // rank variables across the 2D array's rows or the 1D array's lanes
    std::vector<std::string> cols; // rank variables across the 2D array's columns
    bool operator==(const EinsumMapping&) const = default;
};

struct Mapping {
    std::string name, description, cascade;
    std::vector<Split> splits;
    std::map<std::string, TileValue> tiles;
    std::vector<Group> groups;
    std::map<std::string, EinsumMapping> einsums;
    std::string file; // where it was read from, for messages
    // Source location of each table and tile by key path (group[1], einsum.BQK, tiles.P0): for
    // messages about a mapping that parses but does not fit the cascade or the architecture.
    std::map<std::string, einsum::SourceLocation> locations;
    einsum::SourceLocation where(const std::string& key_path) const;
    bool operator==(const Mapping& o) const {
        return name == o.name && description == o.description && cascade == o.cascade && splits == o.splits &&
               tiles == o.tiles && groups == o.groups && einsums == o.einsums;
    }
    bool is_template() const;
};

// Reads a mapping from TOML; throws einsum::InputError naming file, line, column and key path.
Mapping parse_mapping(const std::string& toml_text, const std::string& file_label);
Mapping load_mapping(const std::string& path);
// TOML text that parse_mapping reads back into an equal value.
std::string to_toml(const Mapping& m);

} // namespace mappings
