// The figures of the GPU that the runner needs: name, SM count, L2 size (for rotating inputs
// out of it), the opt-in shared-memory limit per block, and memory.
#pragma once

#include <cstddef>
#include <string>

namespace einsim::gpu {

struct DeviceInfo {
  int device = 0;
  std::string name;
  int sm_count = 0;
  int l2_bytes = 0;
  int max_smem_per_block_optin = 0;
  size_t total_memory_bytes = 0;
};

DeviceInfo query_device(int device);  // also makes `device` current; throws CudaError

// CUDA devices present (0 when none, or no driver); `why` says why there are none.
int count_devices(std::string* why);

}  // namespace einsim::gpu
