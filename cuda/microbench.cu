#include "microbench.h"

#include <chrono>
#include <cstdio>

#include "cuda_check.h"
#include "device_buffer.h"
#include "event_timer.h"
#include "measured_csv.h"
#include "mma_ptx.cuh"

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

__global__ void empty_kernel() {}

static std::string fmt(const char* format, double x) {
  char buf[96];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

std::vector<MicroResult> run_microbenchmarks(const DeviceInfo& dev, int iters) {
  std::vector<MicroResult> out;
  cudaStream_t stream;
  EINSIM_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));

  out.push_back({"l2_bytes", double(dev.l2_bytes), "B", "cudaDevAttrL2CacheSize"});
  out.push_back({"sm_count", double(dev.sm_count), "SMs", ""});

  {  // Copy bandwidth: 1 GiB buffers, far past L2; bytes = read + written.
    const int64_t bytes = int64_t(1) << 30;
    DeviceBuffer src(bytes), dst(bytes);
    fill_words_kernel<<<dev.sm_count * 8, 512, 0, stream>>>(src.get<uint32_t>(), bytes / 4);
    EINSIM_CUDA_CHECK(cudaGetLastError());
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
                       std::to_string(ts.runs) + ", min " + fmt("%.1f", ts.min) + " us max " +
                       fmt("%.1f", ts.max) + " us"});
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
                       fmt("%.1f", r.min)});
  }
  EINSIM_CUDA_CHECK(cudaStreamDestroy(stream));
  return out;
}

std::string micro_csv_header() { return "name,value,unit,gpu,sm_count,detail"; }

std::string format_micro_row(const MicroResult& r, const DeviceInfo& dev) {
  return r.name + "," + fmt("%.6g", r.value) + "," + r.unit + "," + csv_escape(dev.name) + "," +
         std::to_string(dev.sm_count) + "," + csv_escape(r.detail);
}

}  // namespace einsim::gpu
