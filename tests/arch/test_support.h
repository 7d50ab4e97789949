// Shared helpers for the arch tests: where the presets live, a small valid description of each
// family to break on purpose, and a way to catch the ArchError a piece of input raises.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "arch/arch_error.h"

namespace arch::test {

inline std::filesystem::path data_dir() {
    const char* env = std::getenv("EINSIM_DATA_DIR");
    return env && *env ? std::filesystem::path(env) : std::filesystem::path(EINSIM_SOURCE_DIR);
}

// `doc` with the first `from` replaced by `to`; fails the test when `from` is absent.
inline std::string replaced(std::string doc, std::string_view from, std::string_view to) {
    auto at = doc.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, "test input lacks: " << from);
    return doc.replace(at, from.size(), to);
}

// The message of the ArchError that `run` raises; fails the test when it raises none.
inline std::string error_of(const std::function<void()>& run) {
    try {
        run();
    } catch (const ArchError& e) {
        return e.what();
    }
    FAIL("no ArchError raised");
    return {};
}

// Line numbers matter: the error tests assert exact locations in these documents.
inline constexpr std::string_view small_spatial = R"(name = "t"
kind = "spatial"
clock_mhz = 1000
element_bytes = 2

[array2d]
rows = 4
cols = 4
macs_per_pe_per_cycle = 1
rf_bytes_per_pe = 8
cycles_per_op = { max = 1 }

[array1d]
lanes = 4
ops_per_lane_per_cycle = 1
cycles_per_op = { exp = 2, add = 1 }

[global_buffer]
capacity_bytes = 1024
bandwidth_bytes_per_cycle = 16
banks = 2

[dram]
bandwidth_gb_per_s = 8
latency_ns = 50

[area]
pe_mm2 = 0.01
array1d_lane_mm2 = 0.02
global_buffer_mm2_per_mib = 4

[energy]
mac_pj = 1
array2d_op_pj = { max = 0.5 }
array1d_op_pj = { exp = 4, add = 0.5 }
rf_read_pj_per_byte = 0.5
rf_write_pj_per_byte = 0.5
buffer_read_pj_per_byte = 2
buffer_write_pj_per_byte = 2
dram_read_pj_per_byte = 30
dram_write_pj_per_byte = 30
pe_leakage_mw = 0.1
array1d_lane_leakage_mw = 0.2
global_buffer_leakage_mw_per_mib = 5
)";

inline constexpr std::string_view small_gpu = R"(name = "g"
kind = "gpu"
sm_count = 2
boost_clock_mhz = 1000
tensor_clock_mhz = 900
tdp_w = 100

[sm]
tensor_flops_per_cycle = { fp16 = 1024, int8 = 2048 }
mma_sync_tflops = {}
mma_sync_measured = false
fp32_flops_per_cycle = 128
sfu_exp_per_cycle = 16
shared_memory_bytes = 65536
shared_memory_bytes_per_block = 49152
registers_32bit = 65536
max_ctas = 16
max_threads = 1024
warp_tile_chain_cycles = 1000
warp_chain_cycles_per_kib = 300
warp_chain_fitted = false
warp_schedulers = 4

[l2]
capacity_bytes = 1048576
bandwidth_bytes_per_cycle = 256
bandwidth_measured = false

[hbm]
capacity_bytes = 1073741824
datasheet_bandwidth_gb_per_s = 100
copy_bandwidth_gb_per_s = 90
copy_bandwidth_measured = true
read_bandwidth_gb_per_s = 95
read_bandwidth_measured = true

[overheads]
launch_latency_us = 3
cta_start_ns = 100
dram_latency_ns = 500
measured = false

[clusters]
max_ctas = 2
gpc_sms = [2]
dsmem_latency_ns = 50
measured = false
)";

inline constexpr std::string_view small_edge = R"(name = "e"
kind = "edge"
device = "cpu"
clock_mhz = 2000
power_budget_w = 5

[compute]
units = 2
int8_macs_per_cycle_per_unit = 32
fp16_macs_per_cycle_per_unit = 16
exp_per_cycle_per_unit = 0.5

[[memory]]
name = "l1"
capacity_bytes = 32768
per_unit = true
bandwidth_bytes_per_cycle = 32
read_pj_per_byte = 2.5
write_pj_per_byte = 2.5

[[memory]]
name = "l2"
capacity_bytes = 1048576
per_unit = false
bandwidth_bytes_per_cycle = 16
read_pj_per_byte = 12.5
write_pj_per_byte = 12.5

[dram]
bandwidth_gb_per_s = 16
latency_ns = 80

[energy]
int8_mac_pj = 4
fp16_mac_pj = 10
exp_pj = 300
dram_read_pj_per_byte = 40
dram_write_pj_per_byte = 40
static_power_mw = 2000

[sparsity]
block_elements = 8
index_bytes_per_kept_block = 1
overhead_cycles_per_kept_element = 0.5
overhead_pj_per_kept_element = 70
)";

} // namespace arch::test
