// Turns a mapping template into a mapping for one shape and architecture: tile templates such as
// "array2d.cols" take the architecture's value and "fit:<bound>" the largest power of two up to the
// bound (itself a number or an array dimension) for which every group still fits its buffers.
#pragma once
#include "arch/spatial.h"
#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "mappings/mapping.h"

namespace mappings {

// Throws einsum::InputError when no choice fits (the message carries the capacity violation).
Mapping instantiate(const Mapping& tmpl, const einsum::Cascade& c, const einsum::ShapeBinding& base, const arch::SpatialArch& a);

} // namespace mappings
