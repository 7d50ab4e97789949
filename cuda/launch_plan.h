// Checks that a job is one the kernels support and derives its launch shape (CTA layout, tiles,
// row blocks). Device limits (shared memory, occupancy, SM count) are checked by the runner.
#pragma once

#include <string>

#include "attention_layout.h"
#include "job.h"

namespace einsim::gpu {

struct LaunchPlan {
  AttentionLayout layout;
  int64_t rows_per_unit = 0;   // query rows that share one KV head: G * P
  int64_t blocks_per_unit = 0; // row blocks (CTAs along rows) per (b, hkv)
  int64_t units = 0;           // B * Hkv
  int64_t n_tiles = 0;         // ceil(M / tile_n)
};

struct PlanResult {
  bool ok = false;
  std::string reason;  // why the job is unsupported, when !ok
  LaunchPlan plan;
};

// Head dimensions with compiled kernels: E == F, one of these.
bool head_dim_supported(int64_t e, int64_t f);

// max_kv_stages (2..kMaxKvStages): the deepest K/V pipeline to use; deeper than 2 only while
// the CTA's shared memory stays within kPipelineSmemBudget (two CTAs an SM), or for stream-K
// within stream_k_smem_budget(ctas_per_sm) (attention_layout.h). The default is 2:
// on an H100, 3 stages measured no faster for split/stream-K decode (about 3% slower) and
// slower for data-parallel decode (see cuda/NOTES.md); `einsim-gpu run --kv-stages` overrides.
constexpr int kDefaultKvStages = 2;
PlanResult plan_launch(const Job& job, int max_kv_stages = kDefaultKvStages);

}  // namespace einsim::gpu
