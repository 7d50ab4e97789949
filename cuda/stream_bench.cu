// The cp.async streaming microbenchmark (`einsim-gpu bench --only stream`): what an SM's 16-byte
// cp.async path delivers when CTAs stream K/V-like tiles through shared memory without the math,
// with one or two CTAs an SM and 2-4 tiles in flight. The decode kernels level off near 32 GB/s an
// SM whether one or two CTAs share it (cuda/NOTES.md); this measures that cap apart from them.
#include "stream_bench.h"

#include "cuda_check.h"
#include "device_buffer.h"
#include "event_timer.h"
#include "mma_ptx.cuh"

namespace einsim::gpu {

namespace {

__device__ __forceinline__ void wait_pending(int pending) {
  switch (pending) {
    case 1: cp_async_wait<1>(); break;
    case 2: cp_async_wait<2>(); break;
    default: cp_async_wait<3>(); break;
  }
}

// CTA b streams tiles [b * tiles, (b + 1) * tiles) of `src` through `stages` shared-memory
// buffers, each thread copying every blockDim-th 16-byte chunk, and touches one word a thread of
// each landed tile so the copies cannot be dropped.
__global__ void cp_async_stream_kernel(const uint4* src, int64_t tiles, int tile_chunks, int stages,
                                       uint32_t* sink) {
  extern __shared__ __align__(16) uint4 buf[];
  const uint4* base = src + int64_t(blockIdx.x) * tiles * tile_chunks;
  auto load = [&](int64_t t, int stage) {
    const uint4* s = base + t * tile_chunks;
    uint4* d = buf + int64_t(stage) * tile_chunks;
    for (int i = threadIdx.x; i < tile_chunks; i += blockDim.x) cp_async_16_at(smem_addr(d + i), s + i);
  };
  for (int s = 0; s < stages - 1; ++s) {
    if (s < tiles) load(s, s);
    cp_async_commit();
  }
  uint32_t acc = 0;
  int stage = 0;
  for (int64_t t = 0; t < tiles; ++t) {
    if (t + stages - 1 < tiles) load(t + stages - 1, stage == 0 ? stages - 1 : stage - 1);
    cp_async_commit();
    wait_pending(stages - 1);
    __syncthreads();
    acc ^= buf[int64_t(stage) * tile_chunks + threadIdx.x % tile_chunks].x;
    __syncthreads();
    stage = stage + 1 == stages ? 0 : stage + 1;
  }
  cp_async_wait<0>();
  if (acc == 0x9e3779b9u) sink[0] = acc;
}

}  // namespace

std::vector<MicroResult> run_stream_benchmarks(const DeviceInfo& dev, int iters) {
  struct Config {
    int ctas_per_sm, sms, stages;
  };
  const int all = dev.sm_count;
  const Config configs[] = {{1, 32, 2}, {1, all, 2}, {1, all, 4}, {2, all, 2}, {2, all, 3}};
  constexpr int kTileBytes = 32 * 1024, kThreads = 128;  // a 64-key K+V tile at E = 128
  const int64_t bytes = int64_t(2) << 30;
  std::vector<MicroResult> out;
  cudaStream_t stream;
  EINSIM_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  DeviceBuffer src(bytes), sink(sizeof(uint32_t));
  fill_nonzero_words(src.get<uint32_t>(), bytes / 4, dev, stream);
  for (const Config& c : configs) {
    const int grid = c.ctas_per_sm * c.sms;
    const size_t smem = size_t(c.stages) * kTileBytes;
    EINSIM_CUDA_CHECK(cudaFuncSetAttribute(reinterpret_cast<const void*>(cp_async_stream_kernel),
                                           cudaFuncAttributeMaxDynamicSharedMemorySize, int(smem)));
    int resident = 0;
    EINSIM_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(
        &resident, reinterpret_cast<const void*>(cp_async_stream_kernel), kThreads, smem));
    const std::string name = "cp_async_stream_" + std::to_string(c.ctas_per_sm) + "cta_" +
                             std::to_string(c.sms) + "sm_" + std::to_string(c.stages) + "st";
    if (resident < c.ctas_per_sm) {
      out.push_back({name, 0, "GB/s", "skipped: only " + std::to_string(resident) + " CTAs of " +
                                          std::to_string(smem / 1024) + " KiB fit an SM"});
      continue;
    }
    const int64_t tiles = bytes / (int64_t(grid) * kTileBytes);
    const double moved = double(tiles) * grid * kTileBytes;
    const TimingStats ts = time_with_events(
        [&](int) {
          cp_async_stream_kernel<<<grid, kThreads, smem, stream>>>(
              src.get<uint4>(), tiles, kTileBytes / 16, c.stages, sink.get<uint32_t>());
        },
        3, iters, stream);
    EINSIM_CUDA_CHECK(cudaGetLastError());
    const double gbps = moved / (ts.median * 1e3);
    out.push_back({name, gbps / c.sms, "GB/s/SM",
                   std::to_string(grid) + " CTAs of " + std::to_string(kThreads) + " threads, " +
                       std::to_string(c.stages) + " x 32 KiB tiles in flight through shared " +
                       "memory by 16-byte cp.async.cg, " + format_number("%.1f", gbps) + " GB/s in all, " +
                       "median of " + std::to_string(ts.runs)});
  }
  EINSIM_CUDA_CHECK(cudaStreamDestroy(stream));
  return out;
}

}  // namespace einsim::gpu
