#include "sim/analytical/model.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "einsum/op_counts.h"
#include "sim/analytical/model_plan.h"

namespace sim {
namespace {

void count_ops(const einsum::Expr& x, std::map<std::string, double>& ops, int& operands) {
    if (x.kind == einsum::Expr::Kind::op) ops[einsum::name(x.op)] += 1;
    if (x.kind == einsum::Expr::Kind::access) ++operands;
    for (const auto& a : x.args) count_ops(a, ops, operands);
}

double op_cycles(const arch::OpCycles& table, const std::string& op) {
    auto parsed = arch::parse_op(op);
    if (!parsed) return 1;
    auto it = table.find(*parsed);
    return it == table.end() ? 1.0 : static_cast<double>(it->second);
}

} // namespace

PointWork point_work(const einsum::Einsum& e, mappings::Unit unit, const arch::SpatialArch& a) {
    PointWork w;
    std::map<std::string, double> ops;
    count_ops(e.expr, ops, w.operands);
    if (!e.reduced_vars.empty()) ops[e.reduce == einsum::ReduceOp::sum ? "add" : einsum::name(e.reduce)] += 1;
    if (unit == mappings::Unit::array2d && einsum::is_contraction(e)) {
        w.mac = true;
        w.unit_cycles = 1.0 / static_cast<double>(std::max<std::int64_t>(1, a.array2d.macs_per_pe_per_cycle));
        return w;
    }
    const arch::OpCycles& table = unit == mappings::Unit::array2d ? a.array2d.cycles_per_op : a.array1d.cycles_per_op;
    double per_lane = unit == mappings::Unit::array1d ? static_cast<double>(std::max<std::int64_t>(1, a.array1d.ops_per_lane_per_cycle)) : 1.0;
    for (const auto& [op, n] : ops) {
        w.unit_cycles += n * op_cycles(table, op) / per_lane;
        w.ops.emplace_back(op, n);
    }
    return w;
}

Result simulate_analytical(const einsum::Cascade& c, const einsum::Shape& s, const mappings::Mapping& m, const arch::SpatialArch& a,
                           const mappings::LoopNest& nest) {
    Result r;
    r.engine = "analytical";
    r.cascade = c.name;
    r.mapping = m.name;
    r.shape = s.str();
    // The loop nest's numbers as run_model reads them (the mapper's cost fills them directly).
    mappings::NestNumbers n;
    std::vector<mappings::Unit> units;
    for (const auto& en : nest.einsums) {
        units.push_back(en.unit);
        n.einsums.push_back({en.group, en.unit, en.points, en.steps, en.rows_extent, en.cols_extent, en.inner_extent, en.stream_transfers,
                             en.stream_dram_bytes, en.buffer_read_bytes, en.buffer_write_bytes});
    }
    for (const auto& t : nest.tensors)
        n.tensors.push_back({t.group, t.cls, c.tensors.at(t.tensor).producer, t.tile_elements, t.buffer_bytes, t.dram_read_bytes,
                             t.dram_write_bytes, t.buffer_read_bytes, t.buffer_write_bytes, t.transfers, t.streamed});
    n.group_buffer_bytes = nest.group_buffer_bytes;
    n.group_iterations = nest.group_iterations;
    n.element_bytes = nest.element_bytes;
    std::vector<mappings::Overlap> overlap;
    for (const auto& g : m.groups) overlap.push_back(g.overlap);
    ModelScratch scratch;
    run_model(compile_model(c, m, units, a), n, overlap.data(), scratch, &r);
    return r;
}

} // namespace sim
