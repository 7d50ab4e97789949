#include "microbench.h"

#include <chrono>
#include <cstdio>

#include "cuda_check.h"
#include "device_buffer.h"
#include "device_stream.h"
#include "event_timer.h"
#include "measured_csv.h"
#include "mma_ptx.cuh"
#include "read_kernel.cuh"

namespace einsim::gpu {

__global__ void copy_kernel(const uint4* __restrict__ src, uint4* __restrict__ dst, int64_t n) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n;
       i += int64_t(gridDim.x) * blockDim.x)
    dst[i] = src[i];
}

__global__ void fill_words_kernel(uint32_t* dst, int64_t n) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n;
       i += int64_t(gridDim.x) * blockDim.x)
    dst[i] = uint32_t(i * 2654435761u) | 0x3c003c00u;  // non-zero data
}

// Each warp runs kChains independent mma chains so the tensor pipe never waits on a result.
constexpr int kChains = 8;
template <class T>
__global__ void mma_rate_kernel(int iters, float* sink) {
  uint32_t a[4], b0, b1;
  const uint32_t seed = threadIdx.x * 0x9e3779b9u + blockIdx.x;
  a[0] = MmaOps<T>::pack(1.f + (seed & 7) * 1e-3f, 0.5f);
  a[1] = a[2] = a[3] = a[0];
  b0 = b1 = MmaOps<T>::pack(1e-3f, -1e-3f);
  float d[kChains][4] = {};
  for (int i = 0; i < iters; ++i)
#pragma unroll
    for (int c = 0; c < kChains; ++c) MmaOps<T>::mma(d[c], a, b0, b1);
  float s = 0;
#pragma unroll
  for (int c = 0; c < kChains; ++c) s += d[c][0] + d[c][1] + d[c][2] + d[c][3];
  if (s == 12345.f) sink[0] = s;  // keeps the loop alive
}

// Pointer chase over 128-byte lines: line -> (line * 4097 + 12345) mod lines, a full cycle
// (Hull-Dobell) that jumps around the buffer so that L2 never holds the next line.
__global__ void chase_init_kernel(uint32_t* words, int64_t lines) {
  for (int64_t l = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; l < lines;
       l += int64_t(gridDim.x) * blockDim.x)
    words[l * 32] = uint32_t(((l * 4097 + 12345) & (lines - 1)) * 32);
}
__global__ void chase_kernel(const uint32_t* words, uint32_t start_line, int steps, uint32_t* sink) {
  uint32_t at = start_line * 32;
  for (int i = 0; i < steps; ++i) at = __ldcg(words + at);
  sink[0] = at;
}

__global__ void empty_kernel() {}

// Each CTA's first thread records (clock64, globaltimer) before and after every thread of the CTA
// runs `iters` dependent FMAs: the SM clock while all SMs are busy, in cycles per nanosecond.
__global__ void clock_rate_kernel(int iters, long long* stamps, float* sink) {
  long long c0 = 0, t0 = 0;
  if (threadIdx.x == 0) {
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t0));
    c0 = clock64();
  }
  float x = float(threadIdx.x) * 1e-3f, y = 1.0001f;
  for (int i = 0; i < iters; ++i) x = fmaf(x, y, 1e-7f);
  __syncthreads();
  if (threadIdx.x == 0) {
    const long long c1 = clock64();
    long long t1;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t1));
    stamps[2 * blockIdx.x] = c1 - c0;
    stamps[2 * blockIdx.x + 1] = t1 - t0;
  }
  if (x == 0.123f) sink[0] = x;
}

std::string format_number(const char* format, double x) {
  char buf[96];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

void fill_nonzero_words(uint32_t* dst, int64_t n, const DeviceInfo& dev, cudaStream_t stream) {
  fill_words_kernel<<<dev.sm_count * 8, 512, 0, stream>>>(dst, n);
  EINSIM_CUDA_CHECK(cudaGetLastError());
}

std::vector<MicroResult> run_microbenchmarks(const DeviceInfo& dev, int iters) {
  std::vector<MicroResult> out;
  const DeviceStream owned_stream;
  const cudaStream_t stream = owned_stream.get();

  out.push_back({"l2_bytes", double(dev.l2_bytes), "B", "cudaDevAttrL2CacheSize"});
  out.push_back({"sm_count", double(dev.sm_count), "SMs", ""});

  {  // Copy bandwidth: 1 GiB buffers, far past L2; bytes = read + written.
    const int64_t bytes = int64_t(1) << 30;
    DeviceBuffer src(bytes), dst(bytes);
    fill_nonzero_words(src.get<uint32_t>(), bytes / 4, dev, stream);
    const int64_t n = bytes / 16;
    const int grid = dev.sm_count * 8;
    const TimingStats ts = time_with_events(
        [&](int) {
          copy_kernel<<<grid, 512, 0, stream>>>(src.get<uint4>(), dst.get<uint4>(), n);
        },
        3, iters, stream);
    EINSIM_CUDA_CHECK(cudaGetLastError());
    out.push_back({"copy_bandwidth", 2.0 * double(bytes) / (ts.median * 1e3), "GB/s",
                   "uint4 grid-stride copy of 1 GiB, read+write bytes, median of " +
                       std::to_string(ts.runs) + ", min " + format_number("%.1f", ts.min) + " us max " +
                       format_number("%.1f", ts.max) + " us"});
  }

  {  // Read bandwidth: 4 GiB read once per run (no writes): what decode's K/V streams can reach.
    const int64_t bytes = int64_t(4) << 30;
    DeviceBuffer src(bytes), sink(sizeof(uint32_t));
    fill_nonzero_words(src.get<uint32_t>(), bytes / 4, dev, stream);
    const int grid = dev.sm_count * 4;
    const TimingStats ts = time_with_events(
        [&](int) { read_kernel<<<grid, 512, 0, stream>>>(src.get<uint4>(), bytes / 16, sink.get<uint32_t>()); },
        3, iters, stream);
    EINSIM_CUDA_CHECK(cudaGetLastError());
    out.push_back({"read_bandwidth", double(bytes) / (ts.median * 1e3), "GB/s",
                   "uint4 grid-stride read of 4 GiB (4 loads in flight a thread, 4 CTAs of 512 an SM), "
                   "bytes read, median of " + std::to_string(ts.runs) + ", min " + format_number("%.1f", ts.min) +
                       " us max " + format_number("%.1f", ts.max) + " us"});
  }

  {  // HBM load latency: one thread chasing pointers through 1 GiB, ld.global.cg (L2 only).
     // Every run (warm-up too) starts at another line, so that no run walks lines an earlier one
     // left in L2; the 1 GiB initialisation leaves at most 6% of the lines in L2.
    const int64_t bytes = int64_t(1) << 30, lines = bytes / 128;
    const int steps = 20000;
    DeviceBuffer words(bytes), sink(sizeof(uint32_t));
    chase_init_kernel<<<dev.sm_count * 8, 512, 0, stream>>>(words.get<uint32_t>(), lines);
    EINSIM_CUDA_CHECK(cudaGetLastError());
    const TimingStats ts = time_with_events(
        [&](int run) {
          const uint32_t start = uint32_t((uint64_t(run + 1) * 2654435761u) % uint64_t(lines));
          chase_kernel<<<1, 1, 0, stream>>>(words.get<uint32_t>(), start, steps, sink.get<uint32_t>());
        },
        1, 5, stream);
    EINSIM_CUDA_CHECK(cudaGetLastError());
    out.push_back({"dram_latency", ts.median * 1e3 / steps, "ns",
                   "one thread, 20000 dependent ld.global.cg over 128-byte lines of 1 GiB in a "
                   "scattered full cycle, each run from another line (idle HBM, TLB misses included), median of 5"});
  }

  {  // Tensor-core rate through mma.sync m16n8k16 (fp32 accumulate).
    DeviceBuffer sink(sizeof(float));
    const int loop = 4096, warps = 8, grid = dev.sm_count * 4;
    const double flops = double(grid) * warps * loop * kChains * (2.0 * 16 * 8 * 16);
    for (int dt = 0; dt < 2; ++dt) {
      const TimingStats ts = time_with_events(
          [&](int) {
            if (dt == 0)
              mma_rate_kernel<__half><<<grid, 32 * warps, 0, stream>>>(loop, sink.get<float>());
            else
              mma_rate_kernel<__nv_bfloat16>
                  <<<grid, 32 * warps, 0, stream>>>(loop, sink.get<float>());
          },
          3, iters, stream);
      EINSIM_CUDA_CHECK(cudaGetLastError());
      out.push_back({dt == 0 ? "mma_sync_fp16_rate" : "mma_sync_bf16_rate",
                     flops / (ts.median * 1e-6) / 1e12, "TFLOP/s",
                     "mma.sync.m16n8k16 f32 accumulate, " + std::to_string(kChains) +
                         " chains a warp, median of " + std::to_string(ts.runs)});
    }
  }

  {  // The SM clock while every SM is busy (the model's cycle counts are at the boost clock).
    const int grid = dev.sm_count * 4, iters = 1 << 20;
    DeviceBuffer stamps(sizeof(long long) * 2 * grid), sink(sizeof(float));
    std::vector<double> mhz;
    for (int run = 0; run < 5; ++run) {
      clock_rate_kernel<<<grid, 256, 0, stream>>>(iters, stamps.get<long long>(), sink.get<float>());
      EINSIM_CUDA_CHECK(cudaGetLastError());
      std::vector<long long> h(2 * size_t(grid));
      EINSIM_CUDA_CHECK(cudaMemcpyAsync(h.data(), stamps.get(), h.size() * sizeof(long long),
                                        cudaMemcpyDeviceToHost, stream));
      EINSIM_CUDA_CHECK(cudaStreamSynchronize(stream));
      for (int b = 0; b < grid; ++b)
        if (h[2 * size_t(b) + 1] > 0) mhz.push_back(double(h[2 * size_t(b)]) / double(h[2 * size_t(b) + 1]) * 1e3);
    }
    if (!mhz.empty()) {
      const TimingStats c = summarize(mhz);
      out.push_back({"sm_clock_busy", c.median, "MHz",
                     "clock64 over globaltimer in each of " + std::to_string(grid) + " CTAs running " +
                         "dependent FMAs on every SM, 5 runs, median (min " + format_number("%.0f", c.min) +
                         ", max " + format_number("%.0f", c.max) + ")"});
    }
  }

  {  // Launch cost: back-to-back empty kernels (device pace), and launch + sync round trip.
    const int n = 1000;
    const TimingStats ts = time_with_events(
        [&](int) {
          for (int i = 0; i < n; ++i) empty_kernel<<<1, 32, 0, stream>>>();
        },
        1, 10, stream, 10 * n * 5.0);  // the host enqueues a launch in a few microseconds
    EINSIM_CUDA_CHECK(cudaGetLastError());
    out.push_back({"launch_back_to_back", ts.median / n, "us",
                   "1000 empty launches queued behind a spin kernel, device time per launch, "
                   "median of 10 batches"});
    std::vector<double> rt;
    for (int i = 0; i < 210; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      empty_kernel<<<1, 32, 0, stream>>>();
      EINSIM_CUDA_CHECK(cudaStreamSynchronize(stream));
      const auto t1 = std::chrono::steady_clock::now();
      if (i >= 10) rt.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    const TimingStats r = summarize(rt);
    out.push_back({"launch_round_trip", r.median, "us",
                   "empty launch + cudaStreamSynchronize, host clock, median of 200, min " +
                       format_number("%.1f", r.min)});
  }
  return out;
}

std::string micro_csv_header() { return "name,value,unit,gpu,sm_count,detail"; }

std::string format_micro_row(const MicroResult& r, const DeviceInfo& dev) {
  return r.name + "," + format_number("%.6g", r.value) + "," + r.unit + "," + csv_escape(dev.name) + "," +
         std::to_string(dev.sm_count) + "," + csv_escape(r.detail);
}

}  // namespace einsim::gpu
