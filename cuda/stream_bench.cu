// The cp.async streaming microbenchmark (`einsim-gpu bench --only stream`): what an SM's 16-byte
// cp.async path delivers when CTAs stream K/V-like tiles through shared memory without the math,
// with one or two CTAs an SM and 2-4 tiles in flight. The decode kernels level off near 32 GB/s an
// SM whether one or two CTAs share it (cuda/NOTES.md); this measures that cap apart from them.
#include "stream_bench.h"

#include "cuda_check.h"
#include "device_buffer.h"
#include "event_timer.h"
#include "bulk_copy_ptx.cuh"
#include "mma_ptx.cuh"

namespace einsim::gpu {

namespace {

constexpr int kMaxBulkStages = 4;

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


// The same stream through the bulk-copy (TMA) path: CTA b's tiles land in `stages` buffers, each
// as rows of `row_bytes` (a 32 KiB tile as 128 rows of 256 bytes into rows padded by 16 bytes, as
// the attention kernels lay K and V out, or as one 32 KiB copy), issued by the first warp and
// counted on one mbarrier a buffer.
__global__ void bulk_stream_kernel(const uint4* src, int64_t tiles, int tile_bytes, int row_bytes,
                                   int stages, uint32_t* sink) {
  extern __shared__ __align__(128) unsigned char bulk_buf[];
  __shared__ __align__(8) uint64_t bars[kMaxBulkStages];
  const int rows = tile_bytes / row_bytes;
  const int dst_row = row_bytes == tile_bytes ? row_bytes : row_bytes + 16;
  const int stage_bytes = rows * dst_row;
  const unsigned char* base =
      reinterpret_cast<const unsigned char*>(src) + int64_t(blockIdx.x) * tiles * tile_bytes;
  if (threadIdx.x == 0) {
    for (int s = 0; s < stages; ++s) mbarrier_init(smem_addr(&bars[s]), 1);
    mbarrier_init_fence();
  }
  __syncthreads();
  auto issue = [&](int64_t t, int stage) {
    if (threadIdx.x >= 32) return;
    const uint32_t bar = smem_addr(&bars[stage]);
    if (threadIdx.x == 0) mbarrier_arrive_expect_tx(bar, uint32_t(tile_bytes));
    __syncwarp();
    const unsigned char* s = base + t * tile_bytes;
    const uint32_t d = smem_addr(bulk_buf + int64_t(stage) * stage_bytes);
    for (int r = threadIdx.x; r < rows; r += 32)
      bulk_copy_g2s(d + r * dst_row, s + int64_t(r) * row_bytes, uint32_t(row_bytes), bar);
  };
  for (int s = 0; s < stages && s < tiles; ++s) issue(s, s);
  uint32_t acc = 0;
  int stage = 0;
  uint32_t parity = 0;
  for (int64_t t = 0; t < tiles; ++t) {
    mbarrier_wait_parity(smem_addr(&bars[stage]), parity);
    acc ^= reinterpret_cast<const uint32_t*>(bulk_buf + int64_t(stage) * stage_bytes)
        [(threadIdx.x * 4) % (stage_bytes / 4)];
    __syncthreads();
    if (t + stages < tiles) issue(t + stages, stage);
    if (++stage == stages) {
      stage = 0;
      parity ^= 1;
    }
  }
  if (acc == 0x9e3779b9u) sink[0] = acc;
}

}  // namespace

std::vector<MicroResult> run_stream_benchmarks(const DeviceInfo& dev, int iters) {
  enum class Path { cp_async, bulk_rows, bulk_tile };
  struct Config {
    Path path;
    int ctas_per_sm, sms, stages, threads;
  };
  const int all = dev.sm_count;
  const Config configs[] = {
      {Path::cp_async, 1, 32, 2, 128},  {Path::cp_async, 1, all, 2, 128},
      {Path::cp_async, 1, all, 4, 128}, {Path::cp_async, 2, all, 2, 128},
      {Path::cp_async, 2, all, 3, 128}, {Path::cp_async, 1, all, 3, 256},
      {Path::bulk_rows, 1, 32, 2, 128}, {Path::bulk_rows, 1, all, 2, 128},
      {Path::bulk_rows, 1, all, 4, 128}, {Path::bulk_rows, 2, all, 2, 128},
      {Path::bulk_rows, 2, all, 3, 128}, {Path::bulk_tile, 1, all, 2, 128},
      {Path::bulk_tile, 1, all, 4, 128}, {Path::bulk_tile, 2, all, 2, 128}};
  constexpr int kTileBytes = 32 * 1024, kRowBytes = 256;  // a 64-key K+V tile at E = 128
  const int64_t bytes = int64_t(2) << 30;
  std::vector<MicroResult> out;
  cudaStream_t stream;
  EINSIM_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  DeviceBuffer src(bytes), sink(sizeof(uint32_t));
  fill_nonzero_words(src.get<uint32_t>(), bytes / 4, dev, stream);
  for (const Config& c : configs) {
    const int grid = c.ctas_per_sm * c.sms;
    const bool bulk = c.path != Path::cp_async;
    const int row_bytes = c.path == Path::bulk_rows ? kRowBytes : kTileBytes;
    const int stage_bytes = c.path == Path::bulk_rows ? kTileBytes / kRowBytes * (kRowBytes + 16) : kTileBytes;
    const size_t smem = size_t(c.stages) * stage_bytes;
    const void* fn = bulk ? reinterpret_cast<const void*>(bulk_stream_kernel)
                          : reinterpret_cast<const void*>(cp_async_stream_kernel);
    EINSIM_CUDA_CHECK(cudaFuncSetAttribute(fn, cudaFuncAttributeMaxDynamicSharedMemorySize, int(smem)));
    int resident = 0;
    EINSIM_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&resident, fn, c.threads, smem));
    const char* path = c.path == Path::cp_async ? "cp_async" : bulk && row_bytes < kTileBytes ? "bulk_rows" : "bulk_tile";
    const std::string name = std::string(path) + "_stream_" + std::to_string(c.ctas_per_sm) + "cta_" +
                             std::to_string(c.sms) + "sm_" + std::to_string(c.stages) + "st_" +
                             std::to_string(c.threads) + "t";
    if (resident < c.ctas_per_sm) {
      out.push_back({name, 0, "GB/s/SM", "skipped: only " + std::to_string(resident) + " CTAs of " +
                                             std::to_string(smem / 1024) + " KiB fit an SM"});
      continue;
    }
    const int64_t tiles = bytes / (int64_t(grid) * kTileBytes);
    const double moved = double(tiles) * grid * kTileBytes;
    const TimingStats ts = time_with_events(
        [&](int) {
          if (bulk)
            bulk_stream_kernel<<<grid, c.threads, smem, stream>>>(src.get<uint4>(), tiles, kTileBytes,
                                                                  row_bytes, c.stages, sink.get<uint32_t>());
          else
            cp_async_stream_kernel<<<grid, c.threads, smem, stream>>>(
                src.get<uint4>(), tiles, kTileBytes / 16, c.stages, sink.get<uint32_t>());
        },
        3, iters, stream);
    EINSIM_CUDA_CHECK(cudaGetLastError());
    const double gbps = moved / (ts.median * 1e3);
    const std::string how =
        c.path == Path::cp_async
            ? std::to_string(c.stages) + " x 32 KiB buffers (" + std::to_string(c.stages - 1) +
                  " tiles in flight while one is read) filled by 16-byte cp.async.cg"
            : std::to_string(c.stages) + " x 32 KiB buffers (all in flight while none is read) filled by " +
                  (row_bytes < kTileBytes ? std::string("cp.async.bulk, a copy per 256-byte row into padded rows")
                                          : std::string("one 32 KiB cp.async.bulk a tile"));
    out.push_back({name, gbps / c.sms, "GB/s/SM",
                   std::to_string(grid) + " CTAs of " + std::to_string(c.threads) + " threads, " + how +
                       ", " + format_number("%.1f", gbps) + " GB/s in all, median of " +
                       std::to_string(ts.runs)});
  }
  EINSIM_CUDA_CHECK(cudaStreamDestroy(stream));
  return out;
}

}  // namespace einsim::gpu
