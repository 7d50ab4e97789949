// Times `iters` runs of a launch sequence on one stream with CUDA events, after `warmup`
// untimed runs: every run gets its own event pair, all are recorded back to back, and the host
// synchronises once at the end, so the host's launch pace is not what is measured.
#pragma once

#include <cuda_runtime.h>

#include <vector>

#include "cuda_check.h"
#include "timing_stats.h"

namespace einsim::gpu {

// run(i) enqueues run i on `stream`; i counts warm-up and timed runs together from 0.
template <class Run>
TimingStats time_with_events(Run&& run, int warmup, int iters, cudaStream_t stream) {
  int i = 0;
  for (; i < warmup; ++i) run(i);
  std::vector<cudaEvent_t> start(iters), stop(iters);
  for (int k = 0; k < iters; ++k) {
    EINSIM_CUDA_CHECK(cudaEventCreate(&start[k]));
    EINSIM_CUDA_CHECK(cudaEventCreate(&stop[k]));
  }
  std::vector<double> us;
  try {
    for (int k = 0; k < iters; ++k, ++i) {
      EINSIM_CUDA_CHECK(cudaEventRecord(start[k], stream));
      run(i);
      EINSIM_CUDA_CHECK(cudaEventRecord(stop[k], stream));
    }
    EINSIM_CUDA_CHECK(cudaStreamSynchronize(stream));
    for (int k = 0; k < iters; ++k) {
      float ms = 0;
      EINSIM_CUDA_CHECK(cudaEventElapsedTime(&ms, start[k], stop[k]));
      us.push_back(1000.0 * ms);
    }
  } catch (...) {
    for (int k = 0; k < iters; ++k) cudaEventDestroy(start[k]), cudaEventDestroy(stop[k]);
    throw;
  }
  for (int k = 0; k < iters; ++k) cudaEventDestroy(start[k]), cudaEventDestroy(stop[k]);
  return summarize(us);
}

}  // namespace einsim::gpu
