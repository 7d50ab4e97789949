#include "random_fill.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "cuda_check.h"

namespace einsim::gpu {

__device__ __forceinline__ uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

template <class T>
__device__ __forceinline__ T from_float(float x);
template <>
__device__ __forceinline__ __half from_float<__half>(float x) { return __float2half_rn(x); }
template <>
__device__ __forceinline__ __nv_bfloat16 from_float<__nv_bfloat16>(float x) {
  return __float2bfloat16_rn(x);
}

template <class T>
__global__ void fill_uniform_kernel(T* dst, int64_t n, uint64_t key) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n;
       i += int64_t(gridDim.x) * blockDim.x) {
    const uint64_t h = mix64(key + 0x9e3779b97f4a7c15ull * uint64_t(i + 1));
    const float u = float(h >> 40) * (1.0f / 16777216.0f);  // [0, 1) with 24 bits
    dst[i] = from_float<T>(2.f * u - 1.f);
  }
}

void fill_uniform(DType dtype, void* dst, int64_t n, uint64_t seed, uint64_t stream,
                  cudaStream_t cuda_stream) {
  if (n <= 0) return;
  const uint64_t key = seed * 0xd1342543de82ef95ull + stream * 0x2545f4914f6cdd1dull + 1;
  const int threads = 256;
  const int64_t blocks = (n + threads - 1) / threads;
  const int grid = int(blocks < 65536 ? blocks : 65536);
  if (dtype == DType::fp16)
    fill_uniform_kernel<<<grid, threads, 0, cuda_stream>>>(static_cast<__half*>(dst), n, key);
  else
    fill_uniform_kernel<<<grid, threads, 0, cuda_stream>>>(static_cast<__nv_bfloat16*>(dst), n, key);
  EINSIM_CUDA_CHECK(cudaGetLastError());
}

}  // namespace einsim::gpu
