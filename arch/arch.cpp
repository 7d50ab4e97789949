#include "arch/arch.h"

#include "arch/schema.h"

namespace arch {

std::string_view name(ArchKind kind) { return arch_kind_names[static_cast<std::size_t>(kind)]; }

void describe(schema::FieldVisitor& v, Arch& a) {
    v.text("name", a.name);
    ArchKind kind = a.kind();
    schema::enumeration(v, "kind", kind, arch_kind_names, "kind");
    if (kind != a.kind()) {
        switch (kind) {
        case ArchKind::spatial: a.family.emplace<SpatialArch>(); break;
        case ArchKind::gpu: a.family.emplace<GpuArch>(); break;
        case ArchKind::edge: a.family.emplace<EdgeArch>(); break;
        }
    }
    // The family's fields sit at the top level, next to name and kind.
    std::visit([&v](auto& family) { describe(v, family); }, a.family);
}

} // namespace arch
