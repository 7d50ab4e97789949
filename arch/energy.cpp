#include "arch/energy.h"

#include "arch/schema.h"

namespace arch {

using schema::Bound;

void describe(schema::FieldVisitor& v, SpatialEnergy& e) {
    v.number("mac_pj", e.mac_pj, Bound::non_negative);
    schema::keyed_table(v, "array2d_op_pj", e.array2d_op_pj, op_names, "operator", Bound::non_negative, true);
    schema::keyed_table(v, "array1d_op_pj", e.array1d_op_pj, op_names, "operator", Bound::non_negative, false);
    v.number("rf_read_pj_per_byte", e.rf_read_pj_per_byte, Bound::non_negative);
    v.number("rf_write_pj_per_byte", e.rf_write_pj_per_byte, Bound::non_negative);
    v.number("buffer_read_pj_per_byte", e.buffer_read_pj_per_byte, Bound::non_negative);
    v.number("buffer_write_pj_per_byte", e.buffer_write_pj_per_byte, Bound::non_negative);
    v.number("dram_read_pj_per_byte", e.dram_read_pj_per_byte, Bound::non_negative);
    v.number("dram_write_pj_per_byte", e.dram_write_pj_per_byte, Bound::non_negative);
    v.number("pe_leakage_mw", e.pe_leakage_mw, Bound::non_negative);
    v.number("array1d_lane_leakage_mw", e.array1d_lane_leakage_mw, Bound::non_negative);
    v.number("global_buffer_leakage_mw_per_mib", e.global_buffer_leakage_mw_per_mib, Bound::non_negative);
}

void describe(schema::FieldVisitor& v, EdgeEnergy& e) {
    v.number("int8_mac_pj", e.int8_mac_pj, Bound::non_negative);
    v.number("fp16_mac_pj", e.fp16_mac_pj, Bound::non_negative);
    v.number("exp_pj", e.exp_pj, Bound::non_negative);
    v.number("dram_read_pj_per_byte", e.dram_read_pj_per_byte, Bound::non_negative);
    v.number("dram_write_pj_per_byte", e.dram_write_pj_per_byte, Bound::non_negative);
    v.number("static_power_mw", e.static_power_mw, Bound::non_negative);
}

} // namespace arch
