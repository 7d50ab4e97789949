// Microbenchmarks that give the GPU-SM model its measured ceilings: device-to-device copy
// bandwidth, tensor-core (mma.sync) fp16/bf16 rate, empty-kernel launch cost, and the SM clock
// while every SM is busy.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <string>
#include <vector>

#include "device_info.h"

namespace einsim::gpu {

struct MicroResult {
  std::string name;
  double value = 0;
  std::string unit;
  std::string detail;
};

std::vector<MicroResult> run_microbenchmarks(const DeviceInfo& dev, int iters);

// Fills n 32-bit words with non-zero data on `stream` (inputs of the bandwidth benchmarks).
void fill_nonzero_words(uint32_t* dst, int64_t n, const DeviceInfo& dev, cudaStream_t stream);
// printf-style formatting of one number, for the detail column.
std::string format_number(const char* format, double x);

// name,value,unit,gpu,sm_count,detail
std::string micro_csv_header();
std::string format_micro_row(const MicroResult& r, const DeviceInfo& dev);

}  // namespace einsim::gpu
