// Turns a mapping template into a mapping for one shape and architecture: tile templates such as
// "array2d.cols" take the architecture's value and "fit:<bound>" the largest power of two up to the
// bound (itself a number or an array dimension) for which every group still fits its buffers.
#pragma once
#include <optional>

#include "arch/spatial.h"
#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "mappings/mapping.h"
#include "mappings/nest_plan.h"

namespace mappings {

// Throws einsum::InputError when no choice fits (the message carries the capacity violation).
Mapping instantiate(const Mapping& tmpl, const einsum::Cascade& c, const einsum::ShapeBinding& base, const arch::SpatialArch& a);
// The same; when fitting tiles compiled the mapping's structure, `plan` receives it, so that the
// caller can evaluate the instantiated mapping's loop nest without compiling it again.
Mapping instantiate(const Mapping& tmpl, const einsum::Cascade& c, const einsum::ShapeBinding& base, const arch::SpatialArch& a,
                    std::optional<NestPlan>& plan);

} // namespace mappings
