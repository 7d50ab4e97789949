// The kernels a GPU mapping launches for an attention problem, CTA by CTA: a list of phases per CTA
// (start, loads and stores, the main loop over key tiles, flag waits) and, per kind of key tile, the
// bytes, MMA FLOPs, exponentials and ALU work it costs. The SM simulator times these plans.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "arch/dtype.h"
#include "arch/gpu.h"
#include "mappings/attention_problem.h"
#include "mappings/gpu_mapping.h"

namespace sim::gpu {

// The cost of one step of a CTA's main loop (one key tile, or one combine step).
struct TileWork {
    double bytes = 0;      // loaded by the CTA (from L2 or HBM)
    double hbm_bytes = 0;  // of which missed in L2
    double mma_flops = 0;  // tensor-core work, padded rows and keys included
    double exps = 0;       // special-function unit
    double fp32_ops = 0;   // CUDA-core operations (max, scale, sums, rescale); an FMA counts 1
    double loads = 2;      // dependent loads per step (K then V)
    double stages = 1;     // loads kept in flight
    double warp_chain_s = 0; // one warp's latency-bound chain through the step (arch GpuSm::warp_*_chain_*)
    double warp_issue_s = 0; // of which its per-KiB work, issued in turn by warps sharing a scheduler
    double warps = 1;        // warps a CTA (beyond one a scheduler, they issue their per-KiB work in turn)
    bool operator==(const TileWork&) const = default;
};

enum class PhaseKind { start, load_q, stream, merge, store_output, store_partial, wait, reduce, push };
const char* name(PhaseKind k);

struct Phase {
    PhaseKind kind = PhaseKind::start;
    double tiles = 0;          // stream: steps of `tile`
    int tile = 0;              // stream: index into KernelPlan::tiles
    double bytes = 0;          // load_q, store_*, reduce
    double round_trips = 0;    // dependent memory latencies of a load, store or reduce phase
    double work_s = 0;         // the CTA's own latency-bound warp work (merge, reduce), not shared with other CTAs
    int signal = -1;           // store_partial: the event it sets (a flag)
    std::vector<int> waits;    // wait: the events it needs
    bool operator==(const Phase&) const = default;
};

struct CtaPlan {
    std::vector<Phase> phases;
    bool operator==(const CtaPlan&) const = default;
};

struct KernelPlan {
    std::string name;              // attention, combine
    std::vector<TileWork> tiles;
    std::vector<CtaPlan> ctas;     // in launch order; a uniform kernel holds one CTA, repeated
    std::int64_t repeat = 0;       // > 0: the kernel is `repeat` copies of ctas[0] (the simulator may extrapolate)
    std::int64_t ctas_per_sm = 1;  // resident per SM
    arch::DType dtype = arch::DType::fp16; // the tensor-core format of its MMAs
    int events = 0;                // flags the CTAs set and wait on (a cluster's barrier is one a CTA)
    std::int64_t cluster = 0;      // > 1: consecutive CTAs form thread-block clusters of this size, placed on one GPC
    std::int64_t cta_count() const { return repeat > 0 ? repeat : std::int64_t(ctas.size()); }
    double hbm_read_bytes = 0, hbm_write_bytes = 0;
};

struct LaunchPlan {
    std::vector<KernelPlan> kernels; // run one after another
    std::string occupancy_limit;
    double issued_mma_flops = 0;
};

// Throws einsum::InputError when the mapping is illegal for the problem on this GPU.
LaunchPlan plan_launch(const mappings::AttentionProblem& p, const mappings::GpuMapping& m, const arch::GpuArch& g);

} // namespace sim::gpu
