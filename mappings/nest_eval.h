// The numbers of a compiled loop nest (nest_plan.h) at one choice of tile values and DRAM loop
// orders: extents, steps and spatial extents of every Einsum, tiles and traffic of every tensor,
// buffer need of every group. Integer arithmetic over the plan's arrays into buffers sized once, so
// that the mapper evaluates a choice without allocating; build_loop_nest makes a LoopNest of them.
#pragma once
#include <cstdint>
#include <vector>

#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "mappings/nest_plan.h"

namespace mappings {

struct NestNumbers {
    struct Einsum {
        int group = 0;
        Unit unit = Unit::array2d;
        std::int64_t points = 0, steps = 1, rows_extent = 1, cols_extent = 1, inner_extent = 1; // as in EinsumNest
        std::int64_t stream_transfers = 0, stream_dram_bytes = 0, buffer_read_bytes = 0, buffer_write_bytes = 0;
    };
    struct Tensor {
        int group = 0;
        TensorClass cls = TensorClass::internal;
        int producer = -1;
        std::int64_t tile_elements = 0, buffer_bytes = 0, dram_read_bytes = 0, dram_write_bytes = 0, buffer_read_bytes = 0,
                     buffer_write_bytes = 0, transfers = 0; // as in TensorNest
        bool streamed = false;
    };
    std::vector<std::int64_t> extents; // per factor slot
    std::vector<Einsum> einsums;       // cascade order
    std::vector<Tensor> tensors;       // the plan's order: per group
    std::vector<std::int64_t> group_buffer_bytes, group_iterations;
    std::int64_t element_bytes = 2;

    // Scratch: each slot's position among its group's loops for the order being evaluated, parts of a split.
    std::vector<int> loop_position;
    std::vector<std::int64_t> part_extents;
};

// Sizes `n` for `plan` and sets what no choice changes (groups, units, tensor classes).
void prepare_numbers(const NestPlan& plan, NestNumbers& n);

// What one evaluation takes, as arrays in the plan's orders.
struct NestChoice {
    const std::int64_t* rank_extents = nullptr; // per plan.ranks, from the shape
    const std::int64_t* points = nullptr;       // per Einsum: its valid points under the shape
    const std::int64_t* tiles = nullptr;        // per plan.tile_keys
    const int* dram_loops = nullptr;            // every group's DRAM loop slots in turn, outer first; nullptr: the mapping's orders
};

// Fills `n` (prepared for `plan`). Returns false when tiles fixed for a split's outermost part do not
// cover its rank: the choice is illegal.
bool evaluate_nest(const NestPlan& plan, const NestChoice& choice, NestNumbers& n);

// The inputs a shape gives: extents per plan.ranks and valid points per Einsum (short tiles and
// `where` filters excluded; a filter is counted through the iteration space, which is slow: compute
// these once per shape).
struct ShapeInputs {
    std::vector<std::int64_t> rank_extents, points;
};
ShapeInputs shape_inputs(const NestPlan& plan, const einsum::Cascade& c, const einsum::Shape& s);

// The loop nest of `m` from a plan compiled for its structure (from `m`, or from a mapping that
// differs only in tile values); throws as build_loop_nest does when its tiles do not cover a rank.
LoopNest evaluate_loop_nest(const NestPlan& plan, const einsum::Cascade& c, const einsum::Shape& s, const Mapping& m, const arch::SpatialArch& a);

// The mapping's tile values in plan.tile_keys order (0 for a template).
std::vector<std::int64_t> tile_values(const NestPlan& plan, const Mapping& m);

} // namespace mappings
