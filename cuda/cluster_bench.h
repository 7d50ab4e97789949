// The thread-block cluster microbenchmarks (`einsim-gpu bench --only clusters`): the SMs of each
// GPC (from where clusters land), how many clusters of 2..16 CTAs fit at once beside what that GPC
// map predicts, and distributed shared memory's load latency and store bandwidth (cluster_bench.cu).
// What einsim's mapper needs to size a clustered stream-K grid that runs in one wave.
#pragma once

#include <vector>

#include "device_info.h"
#include "microbench.h"

namespace einsim::gpu {

std::vector<MicroResult> run_cluster_benchmarks(const DeviceInfo& dev, int iters);

}  // namespace einsim::gpu
