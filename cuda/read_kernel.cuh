// The streaming read kernel of the bandwidth microbenchmarks (microbench.cu: read bandwidth of
// 4 GiB; read_floor_bench.cu: the read time of a given byte count).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

namespace einsim::gpu {

// Read bandwidth: every thread streams uint4 loads (4 in flight), folds them into one word and
// writes only when it equals a value it never takes, so the loads stay and nothing is written.
// static: each translation unit that launches it has its own copy (no relocatable device code).
static __global__ void read_kernel(const uint4* __restrict__ src, int64_t n, uint32_t* sink) {
  uint32_t acc = 0;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  for (; i + 3 * stride < n; i += 4 * stride) {
    const uint4 a = src[i], b = src[i + stride], c = src[i + 2 * stride], d = src[i + 3 * stride];
    acc ^= a.x ^ a.y ^ a.z ^ a.w ^ b.x ^ b.y ^ b.z ^ b.w ^ c.x ^ c.y ^ c.z ^ c.w ^ d.x ^ d.y ^ d.z ^ d.w;
  }
  for (; i < n; i += stride) {
    const uint4 a = src[i];
    acc ^= a.x ^ a.y ^ a.z ^ a.w;
  }
  if (acc == 0x9e3779b9u) sink[0] = acc;
}

}  // namespace einsim::gpu
