// The cp.async streaming microbenchmark: per-SM rate of 16-byte cp.async tile streaming with one or
// two CTAs an SM and 2-4 tiles in flight (stream_bench.cu).
#pragma once

#include <vector>

#include "device_info.h"
#include "microbench.h"

namespace einsim::gpu {

std::vector<MicroResult> run_stream_benchmarks(const DeviceInfo& dev, int iters);

}  // namespace einsim::gpu
