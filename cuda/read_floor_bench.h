// The read floor by size (`einsim-gpu bench --only floor`): how long one launch of the streaming
// read kernel takes to read N bytes that are not in L2, for N from 1 MiB to 1 GiB. A decode job
// reads its K and V once, so this is the time no decode kernel of that many bytes can beat by
// much; it shows what share of a short job goes to the launch, the ramp and the tail rather than
// to the HBM's steady rate (the copy and read bandwidths of microbench.cu are 1-4 GiB rates).
#pragma once

#include <vector>

#include "device_info.h"
#include "microbench.h"

namespace einsim::gpu {

std::vector<MicroResult> run_read_floor_benchmarks(const DeviceInfo& dev, int iters);

}  // namespace einsim::gpu
