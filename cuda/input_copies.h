// How many copies of a job's (or a benchmark's) inputs to rotate through, so that between two
// reads of one copy the runs stream more than twice the L2 through it and no run reads what an
// earlier one left in L2. The job runner then caps it by memory (job_runner.cu); the read-floor
// bench uses it as is (read_floor_bench.cu), so both are timed alike.
#pragma once

#include <cstdint>

namespace einsim::gpu {

inline int64_t input_copies_past_l2(int64_t l2_bytes, int64_t copy_bytes) {
  return 2 * l2_bytes / copy_bytes + 1;
}

}  // namespace einsim::gpu
