// Energy per action (Accelergy style): what one MAC, one operator, one byte moved through a memory
// level costs, plus static (leakage) power. A model's energy is Σ action counts × these figures.
#pragma once
#include <map>

#include "arch/op.h"

namespace arch {

// For the spatial-array family. Operator tables hold exactly the operators the matching array supports.
struct SpatialEnergy {
    double mac_pj = 0;                  // one multiply-accumulate in a 2D-array PE
    std::map<Op, double> array2d_op_pj; // one elementwise operator in a 2D-array PE
    std::map<Op, double> array1d_op_pj; // one operator in a 1D-array lane
    double rf_read_pj_per_byte = 0;
    double rf_write_pj_per_byte = 0;
    double buffer_read_pj_per_byte = 0; // global buffer
    double buffer_write_pj_per_byte = 0;
    double dram_read_pj_per_byte = 0;
    double dram_write_pj_per_byte = 0;
    double pe_leakage_mw = 0;                    // static power of one 2D-array PE
    double array1d_lane_leakage_mw = 0;          // static power of one 1D-array lane
    double global_buffer_leakage_mw_per_mib = 0; // static power of the global buffer, per MiB

    bool operator==(const SpatialEnergy&) const = default;
};

// For the edge family: compute actions and DRAM; on-chip levels carry their own per-byte energies.
struct EdgeEnergy {
    double int8_mac_pj = 0;
    double fp16_mac_pj = 0;
    double exp_pj = 0;
    double dram_read_pj_per_byte = 0;
    double dram_write_pj_per_byte = 0;
    double static_power_mw = 0; // whole device, idle but powered

    bool operator==(const EdgeEnergy&) const = default;
};

} // namespace arch
