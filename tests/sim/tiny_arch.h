// A 4x4 spatial array small enough to count its cycles and bytes by hand.
#pragma once
#include <string>

#include "arch/load.h"

inline arch::SpatialArch tiny_array(long long buffer_bytes = 4096) {
    std::string text = R"(name = "tiny"
kind = "spatial"
clock_mhz = 1000
element_bytes = 2
[array2d]
rows = 4
cols = 4
macs_per_pe_per_cycle = 1
rf_bytes_per_pe = 16
cycles_per_op = { max = 1, exp = 2, sub = 1, add = 1 }
[array1d]
lanes = 4
ops_per_lane_per_cycle = 1
cycles_per_op = { add = 1, sub = 1, mul = 1, max = 1, exp = 2, div = 3 }
[global_buffer]
capacity_bytes = )" + std::to_string(buffer_bytes) + R"(
bandwidth_bytes_per_cycle = 64
banks = 1
[dram]
bandwidth_gb_per_s = 1
latency_ns = 0
[area]
pe_mm2 = 0.01
array1d_lane_mm2 = 0.01
global_buffer_mm2_per_mib = 1
[energy]
mac_pj = 1
array2d_op_pj = { max = 1, exp = 4, sub = 1, add = 1 }
array1d_op_pj = { add = 1, sub = 1, mul = 1, max = 1, exp = 4, div = 3 }
rf_read_pj_per_byte = 0.5
rf_write_pj_per_byte = 0.5
buffer_read_pj_per_byte = 2
buffer_write_pj_per_byte = 3
dram_read_pj_per_byte = 10
dram_write_pj_per_byte = 20
pe_leakage_mw = 0
array1d_lane_leakage_mw = 0
global_buffer_leakage_mw_per_mib = 0
)";
    return *arch::parse_arch(text, "tiny.toml").spatial();
}

// GEMM Z[m,n] = Σ_k A[k,m]·B[k,n] tiled 4x4 over (m, n), output-stationary on the 2D array.
inline const char* tiny_gemm_mapping = R"(name = "gemm-os"
cascade = "gemm"
[[split]]
rank = "M"
parts = ["M1", "M0"]
[[split]]
rank = "N"
parts = ["N1", "N0"]
[tiles]
M0 = 4
N0 = 4
[[group]]
name = "gemm"
einsums = ["Z"]
dram_loops = ["m1", "n1"]
[einsum.Z]
unit = "array2d"
rows = ["m0"]
cols = ["n0"]
)";
