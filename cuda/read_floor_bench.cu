#include "read_floor_bench.h"

#include <algorithm>
#include <string>

#include "cuda_check.h"
#include "device_buffer.h"
#include "device_stream.h"
#include "event_timer.h"
#include "input_copies.h"
#include "read_kernel.cuh"

namespace einsim::gpu {

std::vector<MicroResult> run_read_floor_benchmarks(const DeviceInfo& dev, int iters) {
  std::vector<MicroResult> out;
  const DeviceStream owned_stream;
  const cudaStream_t stream = owned_stream.get();
  DeviceBuffer sink(sizeof(uint32_t));
  const int ctas_per_sm[] = {2, 4, 8};
  for (int mib = 1; mib <= 1024; mib *= 2) {
    const int64_t bytes = int64_t(mib) << 20;
    const int copies = int(input_copies_past_l2(dev.l2_bytes, bytes));  // as the job runner's
    std::vector<DeviceBuffer> src;
    for (int c = 0; c < copies; ++c) {
      src.emplace_back(bytes);
      fill_nonzero_words(src.back().get<uint32_t>(), bytes / 4, dev, stream);
    }
    TimingStats best;
    int best_cps = 0;
    for (int cps : ctas_per_sm) {
      const int grid = dev.sm_count * cps;
      const TimingStats ts = time_with_events(
          [&](int run) {
            read_kernel<<<grid, 512, 0, stream>>>(src[run % copies].get<uint4>(), bytes / 16,
                                                  sink.get<uint32_t>());
          },
          copies, iters, stream);
      EINSIM_CUDA_CHECK(cudaGetLastError());
      if (best_cps == 0 || ts.median < best.median) best = ts, best_cps = cps;
    }
    const std::string size = std::to_string(mib) + "MiB";
    out.push_back({"read_floor_us_" + size, best.median, "us",
                   "one read_kernel launch over " + size + " not in L2 (" + std::to_string(copies) +
                       " copies rotated), best of 2/4/8 CTAs of 512 an SM (" + std::to_string(best_cps) +
                       "), median of " + std::to_string(best.runs) + ", min " +
                       format_number("%.2f", best.min) + " us"});
    out.push_back({"read_floor_rate_" + size, double(bytes) / (best.median * 1e3), "GB/s",
                   "bytes read / read_floor_us_" + size});
  }
  return out;
}

}  // namespace einsim::gpu
