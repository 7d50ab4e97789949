// One spatial-array design point end to end: instantiate the mapping template for the shape and
// architecture, build its loop nest, reject it if illegal, and run the analytical model.
#pragma once
#include <string>

#include "arch/spatial.h"
#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "mappings/loop_nest.h"
#include "mappings/mapping.h"
#include "mappings/search.h"
#include "sim/result.h"

namespace sim {

struct SpatialPoint {
    mappings::Mapping mapping; // instantiated
    einsum::Shape shape;       // with the mapping's tiles
    mappings::LoopNest nest;
};

// Throws einsum::InputError when the template cannot be instantiated or the mapping is illegal,
// or when the mapping names another cascade.
SpatialPoint prepare_spatial(const einsum::Cascade& c, const einsum::ShapeBinding& shape, const mappings::Mapping& tmpl,
                             const arch::SpatialArch& a);
Result simulate_spatial(const einsum::Cascade& c, const einsum::ShapeBinding& shape, const mappings::Mapping& tmpl,
                        const arch::SpatialArch& a, const std::string& arch_name);

// The analytical model as the mapper's cost: nullopt for an illegal mapping. Thread-safe.
mappings::CostFn spatial_cost_function(const einsum::Cascade& c, const einsum::ShapeBinding& shape, const arch::SpatialArch& a);

} // namespace sim
