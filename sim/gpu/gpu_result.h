// What the GPU-SM model says about one (attention problem, GPU, mapping) point: predicted time,
// achieved bandwidth against the copy bandwidth, where the time goes, how busy the SMs were, and the
// resource that binds. A plain record, separate from the spatial-array sim::Result.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sim::gpu {

// One share of the predicted time. The shares add up to time_us: kernel launches, then each
// kernel's span divided in proportion to the CTA-time spent in each state (what bound a CTA's
// main loop at that moment, or the prologue / epilogue step it was in).
struct PhaseTime {
    std::string phase; // launch, cta_start, q_load, hbm_bandwidth, l2_bandwidth, sm_load_path, memory_latency,
                       // tensor_cores, sfu_exp, fp32_alu, output_store, partial_store, flag_wait, reduction
    double time_us = 0;
    bool operator==(const PhaseTime&) const = default;
};

struct KernelStats {
    std::string name;               // attention, combine
    std::int64_t ctas = 0;
    std::int64_t ctas_per_sm = 0;   // resident at once
    std::int64_t waves = 0;         // ceil(ctas / (SMs x ctas_per_sm))
    double launch_us = 0;
    double span_us = 0;             // first CTA start to last CTA end
    double sm_busy_fraction = 0;    // SM-time with at least one resident CTA / (SMs x span)
    bool extrapolated = false;      // a long uniform grid: the first waves simulated, the rest extrapolated
    bool operator==(const KernelStats&) const = default;
};

// CTAs launched together in one batch of SMs x ctas_per_sm slots.
struct WaveStats {
    std::string kernel;
    std::int64_t wave = 0;
    std::int64_t ctas = 0;
    double start_us = 0, end_us = 0; // from the start of the call (launches included)
    bool operator==(const WaveStats&) const = default;
};

struct SmStats {
    std::int64_t sm = 0;
    std::int64_t ctas = 0;
    double busy_us = 0;
    bool operator==(const SmStats&) const = default;
};

struct GpuResult {
    std::string cascade, arch, problem, mapping; // mapping: describe(GpuMapping)
    std::string decomposition;                   // data_parallel, split_k(S), stream_k(n/SM)
    std::int64_t splits = 1;
    std::int64_t grid_ctas = 0;                  // CTAs of the attention kernel
    std::int64_t ctas_per_sm = 0;
    std::string occupancy_limit;
    double time_us = 0;
    std::int64_t compulsory_bytes = 0;           // Q, K, V read once and O written once
    double hbm_read_bytes = 0, hbm_write_bytes = 0; // what the kernels move (partials and re-reads included)
    double achieved_gbps = 0;                    // compulsory bytes / time
    double copy_fraction = 0;                    // achieved / the preset's copy bandwidth
    bool copy_bandwidth_measured = false;
    double useful_flops = 0;                     // the contractions without padding
    double issued_mma_flops = 0;                 // with padded query rows and key tiles
    double sm_busy_fraction = 0;                 // over the whole call
    std::string binding;                         // the largest share of the time
    std::vector<PhaseTime> phases;
    std::vector<KernelStats> kernels;
    std::vector<WaveStats> waves;                // at most the first 64 waves of each kernel
    std::vector<SmStats> sms;

    double phase_us(const std::string& name) const {
        for (const auto& p : phases)
            if (p.phase == name) return p.time_us;
        return 0;
    }
    bool operator==(const GpuResult&) const = default;
};

} // namespace sim::gpu
