// The streaming microbenchmarks (`einsim-gpu bench --only stream`): what an SM delivers when CTAs
// stream K/V-like tiles through shared memory without the math: by 16-byte cp.async, by bulk
// copies (TMA), and by the attention kernels' own K/V load path (load_kv_tile) with clocks in place
// of the math. They found the decode kernels' 4.2-4.3 TB/s ceiling on an H200: K/V rows padded by
// 16 bytes in shared memory (cuda/NOTES.md).
#include "stream_bench.h"

#include <stdexcept>

#include "cuda_check.h"
#include "device_buffer.h"
#include "device_stream.h"
#include "event_timer.h"
#include "attention_engine.cuh"
#include "bulk_copy_ptx.cuh"
#include "launch_plan.h"
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


// A ring of `stages` shared-memory buffers of `stage_bytes` filled by bulk copies: `issue(t, bar,
// dst)` (called by every thread) starts tile t's copies into buffer `dst`, counted on mbarrier
// `bar`; each landed tile is touched (one word a thread, so the copies cannot be dropped) and its
// buffer refilled with tile t + stages once every thread is done with it.
template <class Issue>
__device__ uint32_t bulk_ring(unsigned char* buf, int stage_bytes, int stages, int64_t tiles, Issue issue) {
  __shared__ __align__(8) uint64_t bars[kMaxBulkStages];
  if (threadIdx.x == 0) {
    for (int s = 0; s < stages; ++s) mbarrier_init(smem_addr(&bars[s]), 1);
    mbarrier_init_fence();
  }
  __syncthreads();
  auto start = [&](int64_t t, int stage) {
    issue(t, smem_addr(&bars[stage]), smem_addr(buf + int64_t(stage) * stage_bytes));
  };
  for (int s = 0; s < stages && s < tiles; ++s) start(s, s);
  uint32_t acc = 0, parity = 0;
  int stage = 0;
  for (int64_t t = 0; t < tiles; ++t) {
    mbarrier_wait_parity(smem_addr(&bars[stage]), parity);
    acc ^= reinterpret_cast<const uint32_t*>(buf + int64_t(stage) * stage_bytes)
        [(threadIdx.x * 4) % (stage_bytes / 4)];
    __syncthreads();
    if (t + stages < tiles) start(t + stages, stage);
    if (++stage == stages) {
      stage = 0;
      parity ^= 1;
    }
  }
  return acc;
}

// The same stream through the bulk-copy (TMA) path: CTA b's tiles land in `stages` buffers, each
// as rows of `row_bytes` (a 32 KiB tile as 128 rows of 256 bytes into rows padded by 16 bytes, as
// the attention kernels lay K and V out, or as one 32 KiB copy), issued by the first warp and
// counted on one mbarrier a buffer.
__global__ void bulk_stream_kernel(const uint4* src, int64_t tiles, int tile_bytes, int row_bytes,
                                   int stages, uint32_t* sink) {
  extern __shared__ __align__(128) unsigned char bulk_buf[];
  const int rows = tile_bytes / row_bytes;
  const int dst_row = row_bytes == tile_bytes ? row_bytes : row_bytes + 16;
  const unsigned char* base =
      reinterpret_cast<const unsigned char*>(src) + int64_t(blockIdx.x) * tiles * tile_bytes;
  const uint32_t acc = bulk_ring(bulk_buf, rows * dst_row, stages, tiles, [&](int64_t t, uint32_t bar, uint32_t d) {
    if (threadIdx.x >= 32) return;
    if (threadIdx.x == 0) mbarrier_arrive_expect_tx(bar, uint32_t(tile_bytes));
    __syncwarp();
    const unsigned char* s = base + t * tile_bytes;
    for (int r = threadIdx.x; r < rows; r += 32)
      bulk_copy_g2s(d + r * dst_row, s + int64_t(r) * row_bytes, uint32_t(row_bytes), bar);
  });
  if (acc == 0x9e3779b9u) sink[0] = acc;
}

// The attention kernels' own K/V load path without their math: CTA b walks tiles
// [b * tiles, (b + 1) * tiles) of one K and one V stream (separate regions, rows of E = F = 128
// halfs) through L.stages swizzled stages with load_kv_tile and the engine's refill order, and
// spends `spin` SM clocks a tile where the kernels compute, so how the stream rate answers the
// time spent on each tile can be read apart from the math itself.
__global__ void kv_path_kernel(AttentionLayout L, const __half* k, const __half* v, int64_t tiles,
                               int64_t tile_stride, int64_t spin, uint32_t* sink) {
  extern __shared__ __align__(16) char kv_smem[];
  const int64_t stage_bytes = L.k_stage_bytes() + L.v_stage_bytes();
  auto k_stage = [&](int s) { return reinterpret_cast<__half*>(kv_smem + s * stage_bytes); };
  auto v_stage = [&](int s) {
    return reinterpret_cast<__half*>(kv_smem + s * stage_bytes + L.k_stage_bytes());
  };
  const int64_t cta = int64_t(blockIdx.x) * tiles * tile_stride;
  auto load = [&](int64_t t, int st) {
    load_kv_tile<__half, 128, 128>(L, k + cta + t * tile_stride, v + cta + t * tile_stride, L.tile_n, 0,
                                   k_stage(st), v_stage(st));
  };
  for (int s = 0; s < L.stages - 1; ++s) {
    if (s < tiles) load(s, s);
    cp_async_commit();
  }
  uint32_t acc = 0;
  int stage = 0;
  for (int64_t t = 0; t < tiles; ++t) {
    if (t + L.stages - 1 < tiles) {
      const int refill = stage == 0 ? L.stages - 1 : stage - 1;
      load(t + L.stages - 1, refill);
    }
    cp_async_commit();
    cp_async_wait_pending(L.stages - 1);
    __syncthreads();
    acc ^= reinterpret_cast<const uint32_t*>(k_stage(stage))[threadIdx.x];
    if (spin > 0) {
      const int64_t until = clock64() + spin;
      while (clock64() < until) {
      }
    }
    __syncthreads();
    stage = stage + 1 == L.stages ? 0 : stage + 1;
  }
  cp_async_wait<0>();
  if (acc == 0x9e3779b9u) sink[0] = acc;
}

// K and V as two streams again, each 16 KiB tile landing by one bulk copy into unpadded stages
// (so the rows are not laid out for ldmatrix): whether the bulk path streams the two regions at
// the rate that the one-region bulk stream reaches.
__global__ void kv_bulk_kernel(const __half* k, const __half* v, int64_t tiles, int half_bytes, int stages,
                               uint32_t* sink) {
  extern __shared__ __align__(128) unsigned char kvb_buf[];
  const int64_t cta = int64_t(blockIdx.x) * tiles * half_bytes;
  const unsigned char* kb = reinterpret_cast<const unsigned char*>(k) + cta;
  const unsigned char* vb = reinterpret_cast<const unsigned char*>(v) + cta;
  const uint32_t acc = bulk_ring(kvb_buf, 2 * half_bytes, stages, tiles, [&](int64_t t, uint32_t bar, uint32_t d) {
    if (threadIdx.x != 0) return;
    mbarrier_arrive_expect_tx(bar, uint32_t(2 * half_bytes));
    bulk_copy_g2s(d, kb + t * half_bytes, uint32_t(half_bytes), bar);
    bulk_copy_g2s(d + half_bytes, vb + t * half_bytes, uint32_t(half_bytes), bar);
  });
  if (acc == 0x9e3779b9u) sink[0] = acc;
}

// Sets the kernel's dynamic shared memory and says whether `ctas_per_sm` CTAs of `threads` fit an
// SM at once; when not, adds a skipped row for `name` (the rate would be that of fewer CTAs).
bool fits_or_skip(const void* fn, int threads, size_t smem, int ctas_per_sm, const std::string& name,
                  std::vector<MicroResult>& out) {
  EINSIM_CUDA_CHECK(cudaFuncSetAttribute(fn, cudaFuncAttributeMaxDynamicSharedMemorySize, int(smem)));
  int resident = 0;
  EINSIM_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&resident, fn, threads, smem));
  if (resident >= ctas_per_sm) return true;
  out.push_back({name, 0, "GB/s/SM", "skipped: only " + std::to_string(resident) + " CTAs of " +
                                         std::to_string(smem / 1024) + " KiB fit an SM"});
  return false;
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
  const DeviceStream owned_stream;
  const cudaStream_t stream = owned_stream.get();
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
    const char* path = c.path == Path::cp_async ? "cp_async" : bulk && row_bytes < kTileBytes ? "bulk_rows" : "bulk_tile";
    const std::string name = std::string(path) + "_stream_" + std::to_string(c.ctas_per_sm) + "cta_" +
                             std::to_string(c.sms) + "sm_" + std::to_string(c.stages) + "st_" +
                             std::to_string(c.threads) + "t";
    if (!fits_or_skip(fn, c.threads, smem, c.ctas_per_sm, name, out)) continue;
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
  // The kernels' K/V path (64-key tiles at E = 128, 4 warps, 2 stages as the decode suite maps
  // it) with 0..2000 clocks a tile in place of the math.
  // layout: V half a buffer after K (two regions), V skewed by 1 MiB + 48 KiB more, or K and V
  // tiles interleaved in one region (tile t's V right after its K); bulk: kv_bulk_kernel.
  enum class Layout { regions, skewed, interleaved, bulk };
  struct PathConfig {
    int ctas_per_sm, sms, stages, spin;
    Layout layout = Layout::regions;
  };
  const PathConfig paths[] = {{1, 32, 2, 0},    {1, all, 2, 0},   {2, all, 2, 0},
                              {1, 32, 2, 1000}, {1, 32, 2, 2000}, {2, all, 2, 1000},
                              {1, all, 2, 1000}, {2, all, 2, 0, Layout::skewed},
                              {1, all, 2, 0, Layout::skewed},     {2, all, 2, 0, Layout::interleaved},
                              {1, all, 2, 0, Layout::interleaved}, {2, all, 2, 0, Layout::bulk},
                              {1, all, 2, 0, Layout::bulk},       {1, all, 3, 0, Layout::bulk}};
  for (const PathConfig& c : paths) {
    // The layout the runner would launch for such a decode job (launch_plan.h).
    Job job;
    job.decomposition = Decomposition::stream_k;
    job.H = job.Hkv = 1, job.E = job.F = 128, job.M = 1 << 16, job.tile_n = 64, job.warps = 4;
    job.ctas_per_sm = c.ctas_per_sm;
    const PlanResult plan = plan_launch(job, c.stages);
    if (!plan.ok || plan.plan.layout.stages != c.stages)
      throw std::runtime_error("stream bench: no " + std::to_string(c.stages) + "-stage layout: " + plan.reason);
    const AttentionLayout& L = plan.plan.layout;
    const int grid = c.ctas_per_sm * c.sms;
    const bool bulk = c.layout == Layout::bulk;
    const int half_bytes = L.tile_n * 128 * 2;  // a K (or V) tile
    const size_t smem = bulk ? size_t(c.stages) * 2 * half_bytes : size_t(L.kv_bytes());
    const void* fn = bulk ? reinterpret_cast<const void*>(kv_bulk_kernel)
                          : reinterpret_cast<const void*>(kv_path_kernel);
    static const char* layout_names[] = {"", "_skewed", "_interleaved", "_bulk"};
    const std::string name = "kv_path_" + std::to_string(c.ctas_per_sm) + "cta_" + std::to_string(c.sms) +
                             "sm_" + std::to_string(c.stages) + "st_spin" + std::to_string(c.spin) +
                             layout_names[int(c.layout)];
    if (!fits_or_skip(fn, L.threads(), smem, c.ctas_per_sm, name, out)) continue;
    // K and V tiles a CTA, each stream within half the buffer less 4 MiB (room for the skew).
    const int64_t tiles = (bytes - (int64_t(8) << 20)) / (int64_t(grid) * 2 * half_bytes);
    const double moved = double(tiles) * grid * 2 * half_bytes;
    const __half* kp = src.get<__half>();
    const int64_t half_buffer = bytes / 4, skew = ((1 << 20) + (48 << 10)) / 2;  // in halfs
    const __half* vp = c.layout == Layout::interleaved ? kp + L.tile_n * 128
                       : c.layout == Layout::skewed    ? kp + half_buffer + skew
                                                       : kp + half_buffer;
    const int64_t stride = c.layout == Layout::interleaved ? 2 * L.tile_n * 128 : L.tile_n * 128;
    const TimingStats ts = time_with_events(
        [&](int) {
          if (bulk)
            kv_bulk_kernel<<<grid, L.threads(), smem, stream>>>(kp, vp, tiles, half_bytes, c.stages,
                                                                sink.get<uint32_t>());
          else
            kv_path_kernel<<<grid, L.threads(), smem, stream>>>(L, kp, vp, tiles, stride, c.spin,
                                                                sink.get<uint32_t>());
        },
        3, iters, stream);
    EINSIM_CUDA_CHECK(cudaGetLastError());
    const double gbps = moved / (ts.median * 1e3);
    static const char* layout_text[] = {
        "K and V in two regions half a buffer apart", "V 1 MiB + 48 KiB further from K",
        "K and V tiles interleaved in one region", "K and V in two regions, one bulk copy a tile each, unpadded"};
    out.push_back({name, gbps / c.sms, "GB/s/SM",
                   std::to_string(grid) + " CTAs of " + std::to_string(L.threads()) + " threads, " +
                       std::to_string(c.stages) + " stages of a 64-key K and V tile (E = 128, " +
                       (bulk ? "bulk copies" : "swizzled rows, load_kv_tile") + "), " + layout_text[int(c.layout)] +
                       ", " + std::to_string(c.spin) + " clocks a tile in place of the math, " +
                       format_number("%.1f", gbps) + " GB/s in all, median of " + std::to_string(ts.runs)});
  }
  return out;
}

}  // namespace einsim::gpu
