// Turns a job into a concrete launch on this device (kernel instantiation, grid, shared memory,
// split count, stream-K grid after the occupancy clamp) and launches it.
#pragma once

#include <cuda_runtime.h>

#include <string>

#include "attention_kernels.h"
#include "attention_params.h"
#include "device_info.h"
#include "launch_plan.h"

namespace einsim::gpu {

struct AttentionSetup {
  Job job;
  LaunchPlan plan;
  AttentionKernel main = nullptr;
  AttentionKernel combine = nullptr;  // split-K only
  bool cooperative = false;           // stream-K: all CTAs must be resident
  int64_t grid = 0;
  int threads = 0;
  size_t smem_bytes = 0;
  int combine_threads = 128;
  size_t combine_smem_bytes = 0;
  int64_t splits = 1;      // split-K, after the heuristic
  int64_t partials = 0;    // workspace slots of rows_cta x (F + 2) floats
  int64_t flags = 0;       // stream-K flags
  int cluster = 0;         // stream-K: CTAs a thread-block cluster (one unit each), 0: none
  StreamKSpace sk;
  std::string note;        // effective choices for the message column
};

// Stream-K thread-block clusters (decode_stream_k_cluster.cu), `einsim-gpu run --sk-cluster`.
enum class ClusterMode {
  job,  // as the job's cluster column says; a cluster the launched grid does not give fails the job
  on,   // every grid that gives each unit 2..16 equal ranges, whatever the job says
  off,  // never (a job's cluster is noted and left unused)
};

struct SetupOptions {
  int max_kv_stages = kDefaultKvStages;  // see launch_plan.h
  // Stream-K: shrink the grid by up to 15% when that lets every CTA's range lie within one
  // unit or cover whole units (stream_k_snapped_ctas); false keeps occupancy x SMs CTAs.
  bool snap_stream_k_grid = false;
  // Stream-K: which grids launch each unit's CTAs as one thread-block cluster, folded through
  // distributed shared memory (decode_stream_k_cluster.cu).
  ClusterMode stream_k_cluster = ClusterMode::job;
};

// Empty on success; otherwise why the job cannot run on this device. Throws CudaError only
// for failures of the CUDA runtime itself.
std::string setup_attention(const Job& job, const DeviceInfo& dev, const SetupOptions& options,
                            AttentionSetup* out);

// Shape fields of the kernel argument; the caller fills the tensor and workspace pointers.
AttentionParams make_params(const AttentionSetup& s);

void launch_attention(const AttentionSetup& s, const AttentionParams& p, cudaStream_t stream);

}  // namespace einsim::gpu
