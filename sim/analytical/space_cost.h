// The analytical model bound to one search space of the mapper (mappings/point_cost.h): the base
// mapping's structure — splits, groups, units, spatial and loop placements — is compiled once
// (mappings/nest_plan.h, model_plan.h); a point only sets tile values, DRAM loop orders and overlap,
// and the shapes that its cascade-rank tiles give (M0 → M1) are resolved once each and cached.
#pragma once
#include <memory>

#include "arch/spatial.h"
#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "mappings/point_cost.h"
#include "mappings/search.h"

namespace sim {

// nullptr when a knob is opaque or changes the structure (a loop order that is not a permutation of
// the base's), or when the base's structure is invalid: the search then costs each point's Mapping.
// `c` must outlive the returned evaluator and its clones.
std::unique_ptr<mappings::PointCost> bind_analytical_cost(const einsum::Cascade& c, const einsum::ShapeBinding& shape,
                                                          const arch::SpatialArch& a, const mappings::SearchSpace& space);

} // namespace sim
