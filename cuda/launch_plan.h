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

PlanResult plan_launch(const Job& job);

}  // namespace einsim::gpu
