#include "sim/analytical/model.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "einsum/op_counts.h"

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

double op_energy(const std::map<arch::Op, double>& table, const std::string& op) {
    auto parsed = arch::parse_op(op);
    if (!parsed) return 0;
    auto it = table.find(*parsed);
    return it == table.end() ? 0.0 : it->second;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

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
    r.buffer_bytes_required = nest.buffer_bytes_required();
    const double bytes = static_cast<double>(nest.element_bytes);

    std::vector<double> unit_cycles_2d(m.groups.size(), 0), unit_cycles_1d(m.groups.size(), 0);
    double busy2d = 0, busy1d = 0, e2d = 0, e1d = 0, rf_read = 0, rf_write = 0;
    for (const auto& en : nest.einsums) {
        const einsum::Einsum& e = c.einsums[en.einsum];
        PointWork w = point_work(e, en.unit, a);
        const bool two_d = en.unit == mappings::Unit::array2d;
        const std::int64_t rows = two_d ? a.array2d.rows : a.array1d.lanes;
        const std::int64_t cols = two_d ? a.array2d.cols : 1;
        const std::int64_t folds = ceil_div(en.rows_extent, rows) * ceil_div(en.cols_extent, cols);
        EinsumStats es;
        es.name = e.name;
        es.unit = mappings::name(en.unit);
        es.group = en.group;
        es.points = en.points;
        es.macs = w.mac ? en.points : 0;
        es.cycles = static_cast<double>(en.steps) * static_cast<double>(folds) * static_cast<double>(en.inner_extent) * w.unit_cycles;
        es.spatial_utilization = static_cast<double>(en.rows_extent * en.cols_extent) / static_cast<double>(folds * rows * cols);
        double busy = static_cast<double>(en.points) * w.unit_cycles / static_cast<double>(rows * cols);
        double compute_pj = 0;
        if (w.mac) compute_pj = static_cast<double>(en.points) * a.energy.mac_pj;
        for (const auto& [op, n] : w.ops)
            compute_pj += static_cast<double>(en.points) * n * op_energy(two_d ? a.energy.array2d_op_pj : a.energy.array1d_op_pj, op);
        double reads = static_cast<double>(en.points) * (w.mac ? 2 : w.operands) * bytes;
        double writes = static_cast<double>(en.points) * bytes;
        es.energy_pj = compute_pj + reads * a.energy.rf_read_pj_per_byte + writes * a.energy.rf_write_pj_per_byte;
        rf_read += reads;
        rf_write += writes;
        (two_d ? e2d : e1d) += compute_pj;
        (two_d ? busy2d : busy1d) += busy;
        (two_d ? unit_cycles_2d : unit_cycles_1d)[en.group] += es.cycles;
        r.macs += es.macs;
        r.einsums.push_back(es);
    }

    std::int64_t dram_r = 0, dram_w = 0, buf_r = 0, buf_w = 0;
    const double dram_bw = a.dram_bandwidth_bytes_per_cycle();
    const double buf_bw = a.global_buffer.bandwidth_bytes_per_cycle;
    for (std::size_t g = 0; g < m.groups.size(); ++g) {
        std::int64_t gd = 0, gb = 0;
        for (const auto& t : nest.tensors) {
            if (t.group != static_cast<int>(g)) continue;
            gd += t.dram_read_bytes + t.dram_write_bytes;
            gb += t.buffer_read_bytes + t.buffer_write_bytes;
            dram_r += t.dram_read_bytes;
            dram_w += t.dram_write_bytes;
            buf_r += t.buffer_read_bytes;
            buf_w += t.buffer_write_bytes;
        }
        GroupStats gs;
        gs.name = m.groups[g].name;
        gs.array2d_cycles = unit_cycles_2d[g];
        gs.array1d_cycles = unit_cycles_1d[g];
        gs.dram_cycles = static_cast<double>(gd) / dram_bw;
        gs.buffer_cycles = static_cast<double>(gb) / buf_bw;
        const mappings::Group& grp = m.groups[g];
        double compute;
        if (grp.overlap == mappings::Overlap::pipeline) {
            // Units work on consecutive iterations at once; the first iteration fills the pipeline.
            double iters = static_cast<double>(std::max<std::int64_t>(1, nest.group_iterations[g]));
            double slow = std::max(gs.array2d_cycles, gs.array1d_cycles);
            double fill = (gs.array2d_cycles + gs.array1d_cycles - slow) / iters;
            compute = slow + fill;
        } else {
            compute = gs.array2d_cycles + gs.array1d_cycles;
        }
        if (grp.double_buffer) gs.cycles = std::max({compute, gs.dram_cycles, gs.buffer_cycles});
        else gs.cycles = std::max(compute + gs.dram_cycles, gs.buffer_cycles);
        const std::pair<double, const char*> terms[] = {{gs.array2d_cycles, "array2d"}, {gs.array1d_cycles, "array1d"},
                                                        {gs.dram_cycles, "dram"}, {gs.buffer_cycles, "global_buffer"}};
        gs.bound = std::max_element(std::begin(terms), std::end(terms), [](auto x, auto y) { return x.first < y.first; })->second;
        r.cycles += gs.cycles;
        r.groups.push_back(gs);
    }
    r.time_s = r.cycles / (a.clock_mhz * 1e6);
    const double cycles = std::max(r.cycles, 1.0);
    r.units.push_back({"array2d", busy2d, busy2d / cycles});
    r.units.push_back({"array1d", busy1d, busy1d / cycles});
    r.traffic.push_back({"dram", dram_r, dram_w});
    r.traffic.push_back({"global_buffer", buf_r, buf_w});
    r.traffic.push_back({"rf", static_cast<std::int64_t>(rf_read), static_cast<std::int64_t>(rf_write)});
    r.energy.push_back({"array2d", e2d});
    r.energy.push_back({"array1d", e1d});
    r.energy.push_back({"rf", rf_read * a.energy.rf_read_pj_per_byte + rf_write * a.energy.rf_write_pj_per_byte});
    r.energy.push_back({"global_buffer", static_cast<double>(buf_r) * a.energy.buffer_read_pj_per_byte +
                                             static_cast<double>(buf_w) * a.energy.buffer_write_pj_per_byte});
    r.energy.push_back({"dram", static_cast<double>(dram_r) * a.energy.dram_read_pj_per_byte + static_cast<double>(dram_w) * a.energy.dram_write_pj_per_byte});
    r.energy.push_back({"static", a.static_energy_pj_per_cycle() * r.cycles});
    for (const auto& e : r.energy) r.energy_pj += e.energy_pj;
    return r;
}

} // namespace sim
