// Whether an instantiated mapping can run: every tile fits its level (counting double buffering)
// and every unit can execute the operators bound to it. Illegal mappings are rejected with the
// reason, never repaired.
#pragma once
#include <string>
#include <vector>

#include "arch/spatial.h"
#include "einsum/cascade.h"
#include "mappings/loop_nest.h"

namespace mappings {

struct Violation {
    std::string key_path; // where in the mapping, e.g. einsum.SLN or group[0]
    std::string reason;
};

// The operators an Einsum needs from its unit (a contraction on the 2D array needs MACs only).
std::vector<std::string> required_ops(const einsum::Einsum& e, Unit unit);

std::vector<Violation> violations(const einsum::Cascade& c, const Mapping& m, const arch::SpatialArch& a, const LoopNest& nest);
// Throws einsum::InputError for the first violation, located in the mapping.
void check_legal(const einsum::Cascade& c, const Mapping& m, const arch::SpatialArch& a, const LoopNest& nest);

} // namespace mappings
