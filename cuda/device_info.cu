#include "device_info.h"

#include "cuda_check.h"

namespace einsim::gpu {

DeviceInfo query_device(int device) {
  EINSIM_CUDA_CHECK(cudaSetDevice(device));
  cudaDeviceProp prop{};
  EINSIM_CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
  DeviceInfo info;
  info.device = device;
  info.name = prop.name;
  EINSIM_CUDA_CHECK(cudaDeviceGetAttribute(&info.sm_count, cudaDevAttrMultiProcessorCount, device));
  EINSIM_CUDA_CHECK(cudaDeviceGetAttribute(&info.l2_bytes, cudaDevAttrL2CacheSize, device));
  EINSIM_CUDA_CHECK(cudaDeviceGetAttribute(&info.max_smem_per_block_optin,
                                           cudaDevAttrMaxSharedMemoryPerBlockOptin, device));
  info.total_memory_bytes = prop.totalGlobalMem;
  return info;
}

int count_devices(std::string* why) {
  int n = 0;
  const cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    if (why) *why = cudaGetErrorString(e);
    cudaGetLastError();
    return 0;
  }
  if (n == 0 && why) *why = "the driver reports no CUDA device";
  return n;
}

}  // namespace einsim::gpu
