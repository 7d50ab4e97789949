// The edge family: a small NPU or CPU cluster with LPDDR, a few on-chip memory levels, INT8/FP16 MAC
// rates, a power budget, and zero-skipping sparsity support that costs index and gather work.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "arch/dram.h"
#include "arch/energy.h"

namespace arch {

enum class EdgeDevice { npu, cpu };
inline constexpr std::array<std::string_view, 2> edge_device_names = {"npu", "cpu"};
std::string_view name(EdgeDevice device);

// The device's compute: `units` identical NPU cores, SMs or CPU cores.
struct EdgeCompute {
    std::int64_t units = 0;
    double int8_macs_per_cycle_per_unit = 0;
    double fp16_macs_per_cycle_per_unit = 0;
    double exp_per_cycle_per_unit = 0;

    bool operator==(const EdgeCompute&) const = default;
};

// One on-chip level (L1, L2, SRAM...), listed from the compute outwards.
struct EdgeMemoryLevel {
    std::string name;
    std::int64_t capacity_bytes = 0;      // per unit when per_unit, else shared by all units
    bool per_unit = false;                // true: each compute unit has its own copy
    double bandwidth_bytes_per_cycle = 0; // per unit when per_unit, else in total
    double read_pj_per_byte = 0;
    double write_pj_per_byte = 0;

    bool operator==(const EdgeMemoryLevel&) const = default;
};

// Skipping zeros (e.g. DeltaLLM's unchanged deltas): work is skipped a block at a time, and every
// block that is kept pays for its index and for gathering its elements.
struct EdgeSparsity {
    std::int64_t block_elements = 0;          // smallest skippable group: all of it must be zero
    double index_bytes_per_kept_block = 0;    // metadata read per kept block
    double overhead_cycles_per_kept_element = 0; // index decode and gather, per kept element, per unit
    double overhead_pj_per_kept_element = 0;

    bool operator==(const EdgeSparsity&) const = default;
};

struct EdgeArch {
    EdgeDevice device = EdgeDevice::npu;
    double clock_mhz = 0;
    double power_budget_w = 0;
    EdgeCompute compute;
    std::vector<EdgeMemoryLevel> memory;
    Dram dram;
    EdgeEnergy energy;
    EdgeSparsity sparsity;

    double peak_int8_macs_per_cycle() const { return double(compute.units) * compute.int8_macs_per_cycle_per_unit; }
    double peak_fp16_macs_per_cycle() const { return double(compute.units) * compute.fp16_macs_per_cycle_per_unit; }
    double dram_bandwidth_bytes_per_cycle() const { return dram.bandwidth_bytes_per_cycle(clock_mhz); }
    // The level with this name, or nullptr.
    const EdgeMemoryLevel* level(std::string_view level_name) const;
    bool operator==(const EdgeArch&) const = default;
};

} // namespace arch
