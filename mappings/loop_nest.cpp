#include "mappings/loop_nest.h"

#include <algorithm>

#include "mappings/nest_eval.h"
#include "mappings/nest_plan.h"

namespace mappings {

const char* name(TensorClass c) {
    switch (c) {
    case TensorClass::from_dram: return "from_dram";
    case TensorClass::to_dram: return "to_dram";
    case TensorClass::internal: return "internal";
    case TensorClass::in_unit: return "in_unit";
    }
    return "?";
}

std::int64_t LoopNest::buffer_bytes_required() const {
    std::int64_t peak = 0;
    for (auto b : group_buffer_bytes) peak = std::max(peak, b);
    return peak;
}
std::int64_t LoopNest::dram_read_bytes() const {
    std::int64_t n = 0;
    for (const auto& t : tensors) n += t.dram_read_bytes;
    return n;
}
std::int64_t LoopNest::dram_write_bytes() const {
    std::int64_t n = 0;
    for (const auto& t : tensors) n += t.dram_write_bytes;
    return n;
}

einsum::Shape mapped_shape(const einsum::Cascade& c, const einsum::ShapeBinding& base, const Mapping& m) {
    einsum::ShapeBinding b = base;
    auto ranks = c.all_ranks();
    for (const auto& [rank, t] : m.tiles) {
        if (std::find(ranks.begin(), ranks.end(), rank) == ranks.end()) continue; // a split part
        if (!t.expr.empty())
            throw einsum::InputError(m.where("tiles." + rank), "tile " + rank + " is a template ('" + t.expr + "'): instantiate the mapping first");
        b.values[rank] = static_cast<double>(t.value);
    }
    b.source = base.source + " + mapping " + m.name;
    return einsum::resolve_shape(c, b);
}

LoopNest build_loop_nest(const einsum::Cascade& c, const einsum::Shape& s, const Mapping& m, const arch::SpatialArch& a) {
    // One path for every caller: compile the structure (checking it, and the split tiles against
    // the shape, in the order a reader of the mapping expects), evaluate it at the mapping's own tiles.
    return evaluate_loop_nest(compile_nest(c, m, a, &s), c, s, m, a);
}

} // namespace mappings
