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
    NestPlan plan = compile_nest(c, m, a, &s);
    ShapeInputs in = shape_inputs(plan, c, s);
    std::vector<std::int64_t> tiles = tile_values(plan, m);
    NestNumbers n;
    prepare_numbers(plan, n);
    evaluate_nest(plan, {in.rank_extents.data(), in.points.data(), tiles.data(), nullptr}, n);

    LoopNest nest;
    for (std::size_t slot = 0; slot < plan.slot_vars.size(); ++slot) nest.extents[plan.slot_vars[slot]] = n.extents[slot];
    for (std::size_t i = 0; i < plan.einsums.size(); ++i) {
        const NestPlan::Einsum& pe = plan.einsums[i];
        const NestNumbers::Einsum& ne = n.einsums[i];
        EinsumNest en;
        en.einsum = static_cast<int>(i);
        en.group = pe.group;
        en.unit = pe.unit;
        for (const auto& f : pe.factors) en.factors.push_back({plan.slot_vars[f.slot], f.place, n.extents[f.slot]});
        en.points = ne.points;
        en.steps = ne.steps;
        en.rows_extent = ne.rows_extent;
        en.cols_extent = ne.cols_extent;
        en.inner_extent = ne.inner_extent;
        en.spatial_reduction = pe.spatial_reduction;
        nest.einsums.push_back(std::move(en));
    }
    for (std::size_t i = 0; i < plan.tensors.size(); ++i) {
        const NestNumbers::Tensor& nt = n.tensors[i];
        nest.tensors.push_back({plan.tensors[i].name, nt.group, nt.cls, nt.tile_elements, nt.buffer_bytes, nt.dram_read_bytes, nt.dram_write_bytes,
                                nt.buffer_read_bytes, nt.buffer_write_bytes});
    }
    nest.group_buffer_bytes = n.group_buffer_bytes;
    nest.group_iterations = n.group_iterations;
    nest.element_bytes = n.element_bytes;
    return nest;
}

} // namespace mappings
