// Times one kernel plan on a GPU, event by event: the block scheduler places CTAs on SMs (up to the
// resident limit, the next CTA taking the first free slot), and every CTA runs its phases. A CTA's
// main loop advances one key tile per
//   max(compute, warp chain, SM load path, memory latency / loads in flight, L2 share, HBM share)
// where the compute units (MMA, exponentials and ALU work in turn) and the SM's load path are
// shared with the CTAs streaming on the same SM, a warp's latency-bound chain through the tile is
// the CTA's own, and the read bandwidth is shared by water-filling among all streaming CTAs (a CTA
// that cannot use its share leaves it to the others). Other phases take their memory round trips,
// bytes over the SM's load path and their own warp work. Rates change only at events, so time is
// exact between them.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "arch/gpu.h"
#include "sim/gpu/kernel_plan.h"

namespace sim::gpu {

struct KernelRun {
    double span_s = 0;                          // first CTA start to last CTA end
    std::map<std::string, double> cta_seconds;  // CTA-time by state (see PhaseTime)
    std::vector<double> sm_busy_s;              // per SM: time with at least one resident CTA
    std::vector<std::int64_t> sm_ctas;          // per SM: CTAs it ran
    std::vector<double> wave_start_s, wave_end_s; // per wave of SMs x ctas_per_sm CTAs (simulated waves only)
    std::vector<std::int64_t> wave_ctas;
    bool extrapolated = false;
};

// Deterministic; throws std::logic_error if the CTAs' flag waits can never be satisfied.
KernelRun run_kernel(const KernelPlan& k, const arch::GpuArch& g);

} // namespace sim::gpu
