// The mapper: searches mappings around a base structure (its splits, groups and unit bindings) —
// every tile as a power of two, each group's DRAM loop order, pipelined or serial groups — for the
// lowest cost. The cost function is given by the caller (the sim models), so the search knows
// nothing about time or energy. Deterministic for a seed, whatever the number of threads.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "mappings/mapping.h"

namespace mappings {

struct Cost {
    double cycles = 0;
    double energy_pj = 0;
};

enum class Objective { latency, energy, edp };
Objective parse_objective(const std::string& s); // throws std::invalid_argument
double score(const Cost& c, Objective o);

// nullopt: the mapping is illegal (does not fit, unit lacks an operator). A CostFn holding a
// BindableCost (point_cost.h) lets the search evaluate points without building their Mappings.
using CostFn = std::function<std::optional<Cost>(const Mapping&)>;

// What a knob's `apply` does, for costs that evaluate points without building a Mapping per point
// (point_cost.h); such a cost treats an opaque knob as a change of structure and leaves the space
// to the per-mapping path.
enum class KnobKind { opaque, tile, dram_loops, overlap };

// One dimension of the space: `options` values, applied to a mapping by `apply(m, option index)`.
struct Knob {
    std::string name; // e.g. tiles.P1, group[0].dram_loops, group[0].overlap
    int options = 1;
    std::function<void(Mapping&, int)> apply;
    std::vector<std::string> labels; // per option, for messages
    KnobKind kind = KnobKind::opaque;
    std::string tile;                             // tile: the key in Mapping::tiles it sets
    std::vector<std::int64_t> tile_values;        // tile: per option
    int group = -1;                               // dram_loops, overlap: the group it changes
    std::vector<std::vector<std::string>> orders; // dram_loops: per option, the loops outer first
};

struct SearchSpace {
    Mapping base;
    std::vector<Knob> knobs;
    double size() const; // product of the knobs' options
};

// Tiles of every split part and tiled cascade rank as powers of two up to `max_tile[rank]` (the
// rank's extent), all orders of each group's DRAM loops (up to 6 loops), serial or pipelined groups.
SearchSpace make_space(const Mapping& base, const std::vector<std::pair<std::string, std::int64_t>>& max_tile);

// For every tile of the mapping, the extent of the rank it tiles (the largest useful tile).
std::vector<std::pair<std::string, std::int64_t>> tile_limits(const einsum::Cascade& c, const einsum::Shape& s, const Mapping& m);

struct SearchOptions {
    Objective objective = Objective::latency;
    std::uint64_t seed = 1;
    std::int64_t max_evaluations = 200000; // at most this many cost evaluations, whatever the threads
    int threads = 1;
    double time_limit_s = 0; // 0: no limit
};

struct SearchResult {
    std::optional<Mapping> best;
    Cost best_cost;
    std::int64_t evaluated = 0, legal = 0;
    double seconds = 0;
    bool exhaustive = false;
    std::vector<std::pair<double, double>> trace; // (seconds since start, best score) at each improvement
    double rate() const { return seconds > 0 ? evaluated / seconds : 0; }
};

// Exhaustive when the space is within the budget; otherwise seeded random sampling over half the
// budget, then coordinate descent from the best point. The base's own choices are evaluated first.
// max_evaluations is a hard cap: `evaluated` never exceeds it (the descent stops inside a round).
SearchResult search(const SearchSpace& space, const CostFn& cost, const SearchOptions& o);

} // namespace mappings
