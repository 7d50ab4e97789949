#include "event_timer.h"

namespace einsim::gpu {

__global__ void spin_kernel(long long cycles) {
  const long long start = clock64();
  while (clock64() - start < cycles) {
  }
}

void spin_stream(cudaStream_t stream, double microseconds) {
  int khz = 0;
  int device = 0;
  EINSIM_CUDA_CHECK(cudaGetDevice(&device));
  EINSIM_CUDA_CHECK(cudaDeviceGetAttribute(&khz, cudaDevAttrClockRate, device));
  spin_kernel<<<1, 1, 0, stream>>>(static_cast<long long>(microseconds * 1e-3 * khz));
  EINSIM_CUDA_CHECK(cudaGetLastError());
}

}  // namespace einsim::gpu
