// Whether an instantiated mapping can run: every tile fits its level (counting double buffering)
// and every unit can execute the operators bound to it. Illegal mappings are rejected with the
// reason, never repaired.
#pragma once
#include <string>
#include <vector>

#include "arch/spatial.h"
#include "einsum/cascade.h"
#include "mappings/loop_nest.h"
#include "mappings/nest_eval.h"

namespace mappings {

struct Violation {
    std::string key_path; // where in the mapping, e.g. einsum.SLN or group[0]
    std::string reason;
};

// The operators an Einsum needs from its unit (a contraction on the 2D array needs MACs only).
std::vector<std::string> required_ops(const einsum::Einsum& e, Unit unit);

std::vector<Violation> violations(const einsum::Cascade& c, const Mapping& m, const arch::SpatialArch& a, const LoopNest& nest);

// The parts of violations() that the mapper checks per point without building messages: operators
// depend only on the units (check once per structure), capacities on the numbers.
std::vector<Violation> operator_violations(const einsum::Cascade& c, const std::vector<Unit>& units, const arch::SpatialArch& a);
bool fits_capacity(const NestNumbers& n, const arch::SpatialArch& a);
// Register-file bytes per PE of a tensor kept in the unit that makes it: one step's tile spread over
// the PEs its producer uses.
std::int64_t in_unit_bytes_per_pe(std::int64_t tile_elements, Unit producer_unit, std::int64_t rows_extent, std::int64_t cols_extent,
                                  std::int64_t element_bytes, const arch::SpatialArch& a);
// Throws einsum::InputError for the first violation, located in the mapping.
void check_legal(const einsum::Cascade& c, const Mapping& m, const arch::SpatialArch& a, const LoopNest& nest);

} // namespace mappings
