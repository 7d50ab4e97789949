// What a mapping does to a cascade, level by level: every rank cut into factor ranks (P → P2·P1·P0),
// each Einsum's factors placed in DRAM-level loops, buffer-level loops, across the array, or in time
// inside a step; each tensor's tile in the global buffer and its accesses to DRAM and to the buffer
// with the reuse the loop order gives (a tile is fetched again only when a loop that indexes it, or a
// loop outside such a loop, advances — Timeloop's rule). One source of truth for legality and the models:
// build_loop_nest compiles the mapping's structure (nest_plan.h) and evaluates it (nest_eval.h),
// the same code the mapper runs per point without building a LoopNest.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "arch/spatial.h"
#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "mappings/mapping.h"

namespace mappings {

// Where a factor of an Einsum lies: a loop its group shares at the DRAM or buffer level, a DRAM-level
// loop of its own, across the array, or in time within a step.
enum class Place { dram_loop, buffer_loop, private_loop, rows, cols, inner };
inline bool is_loop(Place p) { return p == Place::dram_loop || p == Place::buffer_loop || p == Place::private_loop; }

struct FactorUse {
    std::string var; // factor variable, e.g. p0
    Place place = Place::inner;
    std::int64_t extent = 1;
};

// One Einsum under the mapping.
struct EinsumNest {
    int einsum = 0;       // index in the cascade
    int group = 0;        // index in the mapping
    Unit unit = Unit::array2d;
    std::vector<FactorUse> factors;
    std::int64_t points = 0;          // valid iteration points (short tiles excluded)
    std::int64_t steps = 1;           // iterations of the group loops this Einsum takes part in
    std::int64_t rows_extent = 1;     // product of the factors across rows (lanes for the 1D array)
    std::int64_t cols_extent = 1;
    std::int64_t inner_extent = 1;    // product of the factors iterated in time within a step
    bool spatial_reduction = false;   // a reduced rank lies across the array
    // DRAM tiles it moves itself, streaming a tensor through its own loops (FLAT's K and V): they
    // overlap with its own steps only, not with the rest of its group.
    std::int64_t stream_transfers = 0;
    std::int64_t stream_dram_bytes = 0;
    // What its steps read from and write to the global buffer (fills and write-backs excluded).
    std::int64_t buffer_read_bytes = 0;
    std::int64_t buffer_write_bytes = 0;
};

enum class TensorClass { from_dram, to_dram, internal, in_unit };
const char* name(TensorClass c);

// One tensor within one group.
struct TensorNest {
    std::string tensor;
    int group = 0;
    TensorClass cls = TensorClass::internal;
    std::int64_t tile_elements = 0;   // resident in the global buffer, or in the unit's registers when in_unit
    std::int64_t buffer_bytes = 0;    // tile × element size × (2 when double-buffered)
    std::int64_t dram_read_bytes = 0;
    std::int64_t dram_write_bytes = 0;
    std::int64_t buffer_read_bytes = 0;  // by the units and for write-backs to DRAM
    std::int64_t buffer_write_bytes = 0; // by the units and for fills from DRAM
    std::int64_t transfers = 0;          // DRAM tile transfers (fills or write-backs), streamed ones included
    bool streamed = false;               // moved by the Einsums that stream it (EinsumNest::stream_transfers)
};

struct LoopNest {
    std::map<std::string, std::int64_t> extents; // every factor variable's extent
    std::vector<EinsumNest> einsums;              // cascade order
    std::vector<TensorNest> tensors;              // per group
    std::vector<std::int64_t> group_buffer_bytes; // peak global-buffer need per group
    std::vector<std::int64_t> group_iterations;   // iterations of each group's loops
    std::int64_t element_bytes = 2;

    std::int64_t buffer_bytes_required() const;
    std::int64_t dram_read_bytes() const;
    std::int64_t dram_write_bytes() const;
};

// The cascade's shape with the mapping's tiles for cascade ranks (M0 = 256) bound on top of `base`.
einsum::Shape mapped_shape(const einsum::Cascade& c, const einsum::ShapeBinding& base, const Mapping& m);

// Builds the loop nest of an instantiated mapping (no templates left): compile_nest, then evaluate_nest. Throws einsum::InputError
// located in the mapping when it names unknown Einsums or ranks, leaves an Einsum unmapped, places
// a rank twice, or orders groups against the data flow. Capacity and operator support are checked
// by check_legal (legality.h).
LoopNest build_loop_nest(const einsum::Cascade& c, const einsum::Shape& s, const Mapping& m, const arch::SpatialArch& a);

} // namespace mappings
