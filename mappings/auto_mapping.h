// A default mapping structure for any cascade, for the mapper to search from when no template is
// given: every Einsum in its own group; every non-batch, non-head rank split in two (R → R1 · R0,
// R0 the tile); a contraction output-stationary on the 2D array (its first two output tiles across
// rows and columns, the reduction in time), other Einsums on the unit that supports their operators.
#pragma once
#include "arch/spatial.h"
#include "einsum/cascade.h"
#include "mappings/mapping.h"

namespace mappings {

Mapping auto_structure(const einsum::Cascade& c, const arch::SpatialArch& a);

} // namespace mappings
