// The spatial-array family (FLAT, FuseMax, TPU-like): a 2D PE array for tensor products, a 1D vector
// array for elementwise and reduction work, a global buffer and DRAM, with area and energy figures.
#pragma once
#include <cstdint>
#include <map>
#include <vector>

#include "arch/dram.h"
#include "arch/energy.h"
#include "arch/op.h"

namespace arch {

// Operator → cycles one PE or lane is occupied by one such operator (1 = fully pipelined).
using OpCycles = std::map<Op, std::int64_t>;

struct Array2D {
    std::int64_t rows = 0;
    std::int64_t cols = 0;
    std::int64_t macs_per_pe_per_cycle = 0;
    std::int64_t rf_bytes_per_pe = 0;
    OpCycles cycles_per_op; // elementwise operators besides the MAC; empty for MAC-only PEs

    std::int64_t pe_count() const { return rows * cols; }
    bool supports(Op op) const { return cycles_per_op.contains(op); }
    std::vector<Op> operators() const;
    bool operator==(const Array2D&) const = default;
};

struct Array1D {
    std::int64_t lanes = 0;
    std::int64_t ops_per_lane_per_cycle = 0;
    OpCycles cycles_per_op; // the supported operators; never empty

    bool supports(Op op) const { return cycles_per_op.contains(op); }
    std::vector<Op> operators() const;
    // Peak rate of one operator over the whole array: lanes × ops per lane per cycle ÷ cycles per op.
    double ops_per_cycle(Op op) const;
    bool operator==(const Array1D&) const = default;
};

struct GlobalBuffer {
    std::int64_t capacity_bytes = 0;
    double bandwidth_bytes_per_cycle = 0;
    std::int64_t banks = 0;

    bool operator==(const GlobalBuffer&) const = default;
};

// Area per unit, so that two designs can be compared at the same total area.
struct SpatialArea {
    double pe_mm2 = 0;
    double array1d_lane_mm2 = 0;
    double global_buffer_mm2_per_mib = 0;

    bool operator==(const SpatialArea&) const = default;
};

struct SpatialArch {
    double clock_mhz = 0;
    std::int64_t element_bytes = 0;
    Array2D array2d;
    Array1D array1d;
    GlobalBuffer global_buffer;
    Dram dram;
    SpatialArea area;
    SpatialEnergy energy;

    double dram_bandwidth_bytes_per_cycle() const { return dram.bandwidth_bytes_per_cycle(clock_mhz); }
    double peak_macs_per_cycle() const { return double(array2d.pe_count()) * double(array2d.macs_per_pe_per_cycle); }
    double area_mm2() const;
    double static_power_mw() const;
    double static_energy_pj_per_cycle() const; // static power × one clock period
    bool operator==(const SpatialArch&) const = default;
};

} // namespace arch
