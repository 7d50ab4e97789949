#include "mappings/legality.h"

#include <algorithm>

#include "einsum/op_counts.h"

namespace mappings {
namespace {
void collect_ops(const einsum::Expr& x, std::vector<std::string>& out) {
    if (x.kind == einsum::Expr::Kind::op) {
        std::string n = einsum::name(x.op);
        if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    }
    for (const auto& a : x.args) collect_ops(a, out);
}
} // namespace

std::vector<std::string> required_ops(const einsum::Einsum& e, Unit unit) {
    std::vector<std::string> ops;
    if (unit == Unit::array2d && einsum::is_contraction(e)) return {"mac"};
    collect_ops(e.expr, ops);
    if (!e.reduced_vars.empty()) {
        std::string r = e.reduce == einsum::ReduceOp::sum ? "add" : einsum::name(e.reduce);
        if (std::find(ops.begin(), ops.end(), r) == ops.end()) ops.push_back(r);
    }
    return ops;
}

std::vector<Violation> operator_violations(const einsum::Cascade& c, const std::vector<Unit>& units, const arch::SpatialArch& a) {
    std::vector<Violation> out;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const einsum::Einsum& e = c.einsums[i];
        for (const auto& op : required_ops(e, units[i])) {
            bool ok;
            if (op == "mac") ok = a.array2d.macs_per_pe_per_cycle > 0;
            else {
                auto parsed = arch::parse_op(op);
                ok = parsed && (units[i] == Unit::array2d ? a.array2d.supports(*parsed) : a.array1d.supports(*parsed));
            }
            if (!ok) out.push_back({"einsum." + e.name, std::string("unit ") + name(units[i]) + " lacks operator '" + op + "' needed by " + e.name});
        }
    }
    return out;
}

std::int64_t in_unit_bytes_per_pe(std::int64_t tile_elements, Unit producer_unit, std::int64_t rows_extent, std::int64_t cols_extent,
                                  std::int64_t element_bytes, const arch::SpatialArch& a) {
    std::int64_t pes = std::min(rows_extent, producer_unit == Unit::array2d ? a.array2d.rows : a.array1d.lanes) *
                       (producer_unit == Unit::array2d ? std::min(cols_extent, a.array2d.cols) : 1);
    return (tile_elements + pes - 1) / std::max<std::int64_t>(pes, 1) * element_bytes;
}

bool fits_capacity(const NestNumbers& n, const arch::SpatialArch& a) {
    for (auto need : n.group_buffer_bytes)
        if (need > a.global_buffer.capacity_bytes) return false;
    for (const auto& t : n.tensors) {
        if (t.cls != TensorClass::in_unit) continue;
        const NestNumbers::Einsum& p = n.einsums[t.producer];
        if (p.unit == Unit::array2d &&
            in_unit_bytes_per_pe(t.tile_elements, p.unit, p.rows_extent, p.cols_extent, n.element_bytes, a) > a.array2d.rf_bytes_per_pe)
            return false;
    }
    return true;
}

std::vector<Violation> violations(const einsum::Cascade& c, const Mapping& m, const arch::SpatialArch& a, const LoopNest& nest) {
    std::vector<Unit> units;
    for (const auto& en : nest.einsums) units.push_back(en.unit);
    std::vector<Violation> out = operator_violations(c, units, a);
    const std::int64_t capacity = a.global_buffer.capacity_bytes;
    for (std::size_t g = 0; g < nest.group_buffer_bytes.size(); ++g) {
        std::int64_t need = nest.group_buffer_bytes[g];
        if (need <= capacity) continue;
        const TensorNest* largest = nullptr;
        for (const auto& t : nest.tensors)
            if (t.group == static_cast<int>(g) && (!largest || t.buffer_bytes > largest->buffer_bytes)) largest = &t;
        out.push_back({"group[" + std::to_string(g) + "]",
                       "capacity exceeded at level global_buffer by tensor " + (largest ? largest->tensor : std::string("?")) + " by " +
                           std::to_string(need - capacity) + " bytes (group " + m.groups[g].name + " needs " + std::to_string(need) +
                           " bytes, " + (largest ? largest->tensor + " alone " + std::to_string(largest->buffer_bytes) : std::string()) +
                           ", capacity " + std::to_string(capacity) + ")"});
    }
    // Tensors kept in a unit live in its registers: one step's tile spread over the PEs it uses.
    for (const auto& t : nest.tensors) {
        if (t.cls != TensorClass::in_unit) continue;
        const EinsumNest& producer = nest.einsums[c.tensors.at(t.tensor).producer];
        std::int64_t per_pe = in_unit_bytes_per_pe(t.tile_elements, producer.unit, producer.rows_extent, producer.cols_extent, nest.element_bytes, a);
        if (producer.unit == Unit::array2d && per_pe > a.array2d.rf_bytes_per_pe)
            out.push_back({"group[" + std::to_string(t.group) + "]", "capacity exceeded at level array2d.rf by tensor " + t.tensor + " by " +
                                                                         std::to_string(per_pe - a.array2d.rf_bytes_per_pe) + " bytes per PE"});
    }
    return out;
}

void check_legal(const einsum::Cascade& c, const Mapping& m, const arch::SpatialArch& a, const LoopNest& nest) {
    auto v = violations(c, m, a, nest);
    if (!v.empty()) throw einsum::InputError(m.where(v.front().key_path), "illegal mapping: " + v.front().reason);
}

} // namespace mappings
