// Microbenchmarks that give the GPU-SM model its measured ceilings: device-to-device copy
// bandwidth, tensor-core (mma.sync) fp16/bf16 rate, and empty-kernel launch cost.
#pragma once

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

// name,value,unit,gpu,sm_count,detail
std::string micro_csv_header();
std::string format_micro_row(const MicroResult& r, const DeviceInfo& dev);

}  // namespace einsim::gpu
