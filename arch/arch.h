// One hardware description, whatever its family: the value that flows from arch/ into mappings/ and sim/.
#pragma once
#include <array>
#include <string>
#include <string_view>
#include <variant>

#include "arch/edge.h"
#include "arch/gpu.h"
#include "arch/spatial.h"

namespace arch {

// In the order of the alternatives of Arch::family.
enum class ArchKind { spatial, gpu, edge };
inline constexpr std::array<std::string_view, 3> arch_kind_names = {"spatial", "gpu", "edge"};
std::string_view name(ArchKind kind);

struct Arch {
    std::string name;
    std::variant<SpatialArch, GpuArch, EdgeArch> family;

    ArchKind kind() const { return static_cast<ArchKind>(family.index()); }
    // The family struct, or nullptr when the architecture is of another kind.
    const SpatialArch* spatial() const { return std::get_if<SpatialArch>(&family); }
    const GpuArch* gpu() const { return std::get_if<GpuArch>(&family); }
    const EdgeArch* edge() const { return std::get_if<EdgeArch>(&family); }
    SpatialArch* spatial() { return std::get_if<SpatialArch>(&family); }
    GpuArch* gpu() { return std::get_if<GpuArch>(&family); }
    EdgeArch* edge() { return std::get_if<EdgeArch>(&family); }
    bool operator==(const Arch&) const = default;
};

} // namespace arch
