// Times `iters` runs of a launch sequence on one stream with CUDA events, after `warmup`
// untimed runs: every run gets its own event pair, all are recorded back to back, and the host
// synchronises once at the end. A spin kernel queued first holds the stream while the host
// enqueues the timed runs, so each run starts as soon as the previous one ends and the host's
// launch pace (a few microseconds a launch) is not what is measured: the times are device time.
#pragma once

#include <cuda_runtime.h>

#include <vector>

#include "cuda_check.h"
#include "timing_stats.h"

namespace einsim::gpu {

// Occupies `stream` for about `microseconds` (one thread spinning on the SM clock).
void spin_stream(cudaStream_t stream, double microseconds);

// run(i) enqueues run i on `stream`; i counts warm-up and timed runs together from 0.
// spin_us: how long the stream is held first (default: 2 ms + 50 us a run).
template <class Run>
TimingStats time_with_events(Run&& run, int warmup, int iters, cudaStream_t stream,
                             double spin_us = 0) {
  int i = 0;
  for (; i < warmup; ++i) run(i);
  EINSIM_CUDA_CHECK(cudaStreamSynchronize(stream));
  std::vector<cudaEvent_t> start(iters), stop(iters);
  for (int k = 0; k < iters; ++k) {
    EINSIM_CUDA_CHECK(cudaEventCreate(&start[k]));
    EINSIM_CUDA_CHECK(cudaEventCreate(&stop[k]));
  }
  std::vector<double> us;
  try {
    spin_stream(stream, spin_us > 0 ? spin_us : 2000.0 + 50.0 * iters);  // outlasts the enqueueing
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
