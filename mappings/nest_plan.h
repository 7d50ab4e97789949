// The structure of a mapping on a cascade, compiled once into index-based arrays: every rank and
// split part is a factor slot, every Einsum's factors have their places, every tensor access its
// factors per dimension and the loops that index it. What is left to compute for one choice of
// tile values and DRAM loop orders is integer arithmetic over these arrays (nest_eval.h), which
// is what the mapper does millions of times; build_loop_nest compiles and evaluates once.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "arch/spatial.h"
#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "mappings/loop_nest.h"
#include "mappings/mapping.h"

namespace mappings {

// A set of factor slots; a plan has at most `capacity` of them.
struct SlotSet {
    static constexpr int capacity = 128;
    std::array<std::uint64_t, 2> bits{};
    void insert(int s) { bits[static_cast<std::size_t>(s >> 6)] |= std::uint64_t{1} << (s & 63); }
    bool contains(int s) const { return (bits[static_cast<std::size_t>(s >> 6)] >> (s & 63)) & 1; }
};

// A list of factor slots, stored in NestPlan::slots (one allocation for all of a plan's lists).
struct SlotList {
    int begin = 0, end = 0;
};

struct NestPlan {
    // Factor slots: one per rank variable of the cascade (extent from the shape), then one per part
    // of the mapping's splits (extent from the tiles).
    std::vector<std::string> slot_vars;
    std::vector<int> slot_rank;          // per slot: index in `ranks` whose extent it takes, -1 for a split part
    std::vector<std::string> ranks;      // the cascade's ranks, all_ranks() order: the order of rank extents given to evaluate
    std::vector<std::string> tile_keys;  // the mapping's tiles, in key order: the order of tile values given to evaluate

    struct Split {
        int rank = 0;               // index in `ranks`
        std::vector<int> parts;     // slots, outer first
        std::vector<int> tiles;     // per part: index in tile_keys, -1 for the outermost part
        int outer_tile = -1;        // a fixed tile also given for the outermost part: must cover the rank
    };
    std::vector<Split> splits;

    struct Factor {
        int slot = 0;
        Place place = Place::inner;
    };
    struct Einsum {
        int group = 0;
        Unit unit = Unit::array2d;
        std::vector<Factor> factors;   // factors_of(loop_vars) order
        SlotList loops, rows, cols, inner; // its factors by place (loops: DRAM, buffer and its own)
        SlotList private_loops;        // its own DRAM-level loops, in factor order
        bool spatial_reduction = false;
    };
    std::vector<Einsum> einsums;

    struct Group {
        std::vector<int> dram_loops;   // slots, outer first, in the mapping's order
        std::vector<int> buffer_loops; // slots
        int dram_offset = 0;           // where its DRAM loops start in a flat order (all groups, in turn)
        bool double_buffer = true;
        Overlap overlap = Overlap::serial;
    };
    std::vector<Group> groups;
    int dram_loop_count = 0; // Σ over groups

    // One access of a tensor by an Einsum of the group.
    struct Use {
        int einsum = 0;
        bool write = false;
        SlotList dram_tile;    // slots whose extents multiply to the tile below the DRAM level
        SlotList step_tile;    // slots whose extents multiply to the tile of one step (spatial and inner factors)
        SlotList held_tile;    // without a recurrence: slots whose extents multiply to the tile held across the group loops
        int dims_begin = 0, dims_end = 0; // with a recurrence: its dimensions in `dims`
        SlotSet relevant; // loops whose advance moves the buffer access: its indices, and reduced loops for a write
        bool read_modify_write = false;
    };
    // A dimension of an access to a tensor carried along a recurrence: factors always held, group
    // loops held when nested inside the recurrence loop, and whether the recurrence indexes it (it
    // then holds two entries).
    struct Dim {
        SlotList fixed, shared;
        bool recurrent = false;
    };
    struct Tensor {
        std::string name;
        int group = 0;
        int producer = -1; // Einsum index, -1 for an input
        TensorClass cls = TensorClass::internal;
        bool dram_side = false;
        int rec_factor = -1; // slot of the recurrence's innermost factor, -1 when none
        int buffer_copies = 1; // 2 when fetched from or written to DRAM double-buffered
        bool streamed = false; // fetched by the Einsums that stream it through their own loops
        SlotSet relevant;      // loops that index it in some access
        std::vector<Use> uses;
    };
    std::vector<Tensor> tensors; // per group, by name
    std::vector<Dim> dims;

    std::vector<int> slots;               // every SlotList's slots
    std::vector<signed char> places;      // per Einsum × slot: its Place, or -1 when not a factor of that Einsum
    std::int64_t element_bytes = 2;

    std::span<const int> list(SlotList l) const { return {slots.data() + l.begin, slots.data() + l.end}; }
    const signed char* place_of(int einsum) const { return places.data() + static_cast<std::size_t>(einsum) * slot_vars.size(); }
};

// Compiles the structure of an instantiated mapping. Throws einsum::InputError, located in the
// mapping, for every error build_loop_nest reports and in the same order; with `shape`, also when the
// tiles given for a split do not cover its rank (otherwise evaluate_nest reports that per choice).
NestPlan compile_nest(const einsum::Cascade& c, const Mapping& m, const arch::SpatialArch& a, const einsum::Shape* shape = nullptr);

// Extents of a split's parts (outer first, into `part_extents`) for tile values in tile_keys order:
// inner parts take their tile clamped to what is left of the rank, the outermost covers the rest.
// Returns false when a tile fixed for the outermost part does not cover the rank; `covered` is the
// product of the inner parts.
bool split_extents(const NestPlan::Split& sp, std::int64_t total, const std::int64_t* tiles, std::int64_t* part_extents,
                   std::int64_t& covered);

} // namespace mappings
