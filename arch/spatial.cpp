#include "arch/spatial.h"

#include <string>

#include "arch/schema.h"

namespace arch {

using schema::Bound;

namespace {

constexpr double bytes_per_mib = 1024.0 * 1024.0;

std::vector<Op> keys(const OpCycles& cycles) {
    std::vector<Op> ops;
    for (const auto& [op, c] : cycles) ops.push_back(op);
    return ops;
}

// Empty when the energy table covers exactly the supported operators, else what is wrong.
std::string energy_mismatch(const OpCycles& supported, const std::map<Op, double>& energy, std::string_view unit) {
    for (const auto& [op, c] : supported)
        if (!energy.contains(op))
            return "no energy for operator '" + std::string(name(op)) + "', which " + std::string(unit) + " supports";
    for (const auto& [op, e] : energy)
        if (!supported.contains(op))
            return "energy for operator '" + std::string(name(op)) + "', which " + std::string(unit) +
                   " does not support (its cycles_per_op lacks it)";
    return {};
}

} // namespace

std::vector<Op> Array2D::operators() const { return keys(cycles_per_op); }
std::vector<Op> Array1D::operators() const { return keys(cycles_per_op); }

double Array1D::ops_per_cycle(Op op) const {
    auto it = cycles_per_op.find(op);
    if (it == cycles_per_op.end()) return 0;
    return double(lanes) * double(ops_per_lane_per_cycle) / double(it->second);
}

double SpatialArch::area_mm2() const {
    return double(array2d.pe_count()) * area.pe_mm2 + double(array1d.lanes) * area.array1d_lane_mm2 +
           double(global_buffer.capacity_bytes) / bytes_per_mib * area.global_buffer_mm2_per_mib;
}

double SpatialArch::static_power_mw() const {
    return double(array2d.pe_count()) * energy.pe_leakage_mw + double(array1d.lanes) * energy.array1d_lane_leakage_mw +
           double(global_buffer.capacity_bytes) / bytes_per_mib * energy.global_buffer_leakage_mw_per_mib;
}

double SpatialArch::static_energy_pj_per_cycle() const {
    // mW × µs per cycle = nJ; × 1000 = pJ.
    return static_power_mw() / clock_mhz * 1000.0;
}

void describe(schema::FieldVisitor& v, Array2D& a) {
    v.integer("rows", a.rows, Bound::positive);
    v.integer("cols", a.cols, Bound::positive);
    v.integer("macs_per_pe_per_cycle", a.macs_per_pe_per_cycle, Bound::positive);
    v.integer("rf_bytes_per_pe", a.rf_bytes_per_pe, Bound::positive);
    schema::keyed_table(v, "cycles_per_op", a.cycles_per_op, op_names, "operator", Bound::positive, true);
}

void describe(schema::FieldVisitor& v, Array1D& a) {
    v.integer("lanes", a.lanes, Bound::positive);
    v.integer("ops_per_lane_per_cycle", a.ops_per_lane_per_cycle, Bound::positive);
    schema::keyed_table(v, "cycles_per_op", a.cycles_per_op, op_names, "operator", Bound::positive, false);
}

void describe(schema::FieldVisitor& v, GlobalBuffer& b) {
    v.integer("capacity_bytes", b.capacity_bytes, Bound::positive);
    v.number("bandwidth_bytes_per_cycle", b.bandwidth_bytes_per_cycle, Bound::positive);
    v.integer("banks", b.banks, Bound::positive);
    v.check(b.banks <= b.capacity_bytes, "banks", [&] {
        return "more banks (" + std::to_string(b.banks) + ") than bytes (" + std::to_string(b.capacity_bytes) + ")";
    });
}

void describe(schema::FieldVisitor& v, SpatialArea& a) {
    v.number("pe_mm2", a.pe_mm2, Bound::positive);
    v.number("array1d_lane_mm2", a.array1d_lane_mm2, Bound::positive);
    v.number("global_buffer_mm2_per_mib", a.global_buffer_mm2_per_mib, Bound::positive);
}

void describe(schema::FieldVisitor& v, SpatialArch& s) {
    v.number("clock_mhz", s.clock_mhz, Bound::positive);
    v.integer("element_bytes", s.element_bytes, Bound::positive);
    schema::sub_table(v, "array2d", s.array2d);
    schema::sub_table(v, "array1d", s.array1d);
    schema::sub_table(v, "global_buffer", s.global_buffer);
    schema::sub_table(v, "dram", s.dram);
    schema::sub_table(v, "area", s.area);
    schema::sub_table(v, "energy", s.energy);
    std::string e2 = energy_mismatch(s.array2d.cycles_per_op, s.energy.array2d_op_pj, "array2d");
    v.check(e2.empty(), "energy.array2d_op_pj", [&] { return e2; });
    std::string e1 = energy_mismatch(s.array1d.cycles_per_op, s.energy.array1d_op_pj, "array1d");
    v.check(e1.empty(), "energy.array1d_op_pj", [&] { return e1; });
}

} // namespace arch
