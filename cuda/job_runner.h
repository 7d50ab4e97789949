// Runs one job on the GPU: fresh seeded inputs, a checked run against the float64 reference on
// sampled rows, then event timing over rotating input copies that do not fit in L2, and a rerun
// that must reproduce the first result bit for bit.
#pragma once

#include <cstdint>
#include <ostream>

#include "attention_launch.h"
#include "attention_params.h"
#include "device_info.h"
#include "job.h"
#include "launch_plan.h"
#include "measured_csv.h"

namespace einsim::gpu {

struct RunOptions {
  int warmup = 5;
  int iters = 30;
  uint64_t seed = 1;
  int sampled_rows = 16;
  double max_memory_fraction = 0.5;  // of free device memory, for all input copies together
  int64_t max_copies = 0;            // cap on rotating input copies; 0 = as many as needed
  int max_kv_stages = kDefaultKvStages;  // see launch_plan.h
  int fold_mode = kFoldBatched;  // how split partials are folded (FoldMode, attention_params.h)
  bool cooperative = true;    // stream-K: cudaLaunchCooperativeKernel (false: a plain launch)
  bool snap_stream_k_grid = false;  // see SetupOptions (attention_launch.h)
  ClusterMode stream_k_cluster = ClusterMode::job;  // see SetupOptions (attention_launch.h)
  // When set, one more launch per job records per-CTA phase stamps (phase_stamps.h) and its
  // rows are written here (stamps_csv.h).
  std::ostream* stamps = nullptr;
};

// Never throws for a failing job: the row says error and why. Sets *context_lost when the CUDA
// context is unusable afterwards (the run must stop).
MeasuredRow run_job(const Job& job, int64_t job_index, const DeviceInfo& dev,
                    const RunOptions& options, bool* context_lost);

}  // namespace einsim::gpu
