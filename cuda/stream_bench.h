// The streaming microbenchmarks: per-SM rates of CTAs that stream tiles through shared memory by
// 16-byte cp.async, by bulk copies, and by the attention kernels' own K/V load path
// (stream_bench.cu).
#pragma once

#include <vector>

#include "device_info.h"
#include "microbench.h"

namespace einsim::gpu {

std::vector<MicroResult> run_stream_benchmarks(const DeviceInfo& dev, int iters);

}  // namespace einsim::gpu
