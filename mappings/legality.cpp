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

std::vector<Violation> violations(const einsum::Cascade& c, const Mapping& m, const arch::SpatialArch& a, const LoopNest& nest) {
    std::vector<Violation> out;
    for (const auto& en : nest.einsums) {
        const einsum::Einsum& e = c.einsums[en.einsum];
        for (const auto& op : required_ops(e, en.unit)) {
            bool ok;
            if (op == "mac") ok = a.array2d.macs_per_pe_per_cycle > 0;
            else {
                auto parsed = arch::parse_op(op);
                ok = parsed && (en.unit == Unit::array2d ? a.array2d.supports(*parsed) : a.array1d.supports(*parsed));
            }
            if (!ok) out.push_back({"einsum." + e.name, std::string("unit ") + name(en.unit) + " lacks operator '" + op + "' needed by " + e.name});
        }
    }
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
        std::int64_t pes = std::min(producer.rows_extent, producer.unit == Unit::array2d ? a.array2d.rows : a.array1d.lanes) *
                           (producer.unit == Unit::array2d ? std::min(producer.cols_extent, a.array2d.cols) : 1);
        std::int64_t per_pe = (t.tile_elements + pes - 1) / std::max<std::int64_t>(pes, 1) * nest.element_bytes;
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
