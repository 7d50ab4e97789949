// The options that name one spatial design point (--cascade, --arch, --mapping, --shape or
// --model/--seq) and their resolution into loaded values.
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "arch/arch.h"
#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "mappings/mapping.h"

namespace cli {

struct SpatialInputs {
    std::string cascade, arch, mapping, shape, model;
    long long seq = 0, batch = 1;
    std::vector<std::string> set; // KEY=VALUE overrides of the architecture
};

struct ResolvedSpatial {
    einsum::Cascade cascade;
    einsum::ShapeBinding shape;
    mappings::Mapping mapping;
    arch::Arch arch;
};

void add_spatial_input_options(CLI::App* cmd, SpatialInputs& in, bool mapping_required = true);
// Throws einsum::InputError / arch::ArchError with locations for anything that does not load. The
// mapping is loaded for spatial architectures only; other families choose their own.
ResolvedSpatial resolve_spatial_inputs(const SpatialInputs& in);

} // namespace cli
