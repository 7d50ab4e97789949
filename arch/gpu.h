// The GPU-SM family (A100, H100, H200): per-SM rates and limits, L2, HBM and launch overheads.
// Datasheet figures sit next to measured ones, each labelled, so that a prediction can say which
// figure it used.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "arch/dtype.h"

namespace arch {

// One streaming multiprocessor.
struct GpuSm {
    std::map<DType, double> tensor_flops_per_cycle; // dense; a MAC counts 2; int8 counts integer ops
    // What mma.sync (the warp-level MMA that FlashAttention-2 and einsim-gpu's kernels issue) reaches
    // on the whole GPU, TFLOP/s: on Hopper well below the datasheet peak, which needs wgmma. Formats
    // missing here run at tensor_flops_per_cycle.
    std::map<DType, double> mma_sync_tflops;
    bool mma_sync_measured = false;
    double fp32_flops_per_cycle = 0;                // CUDA cores; an FMA counts 2
    double sfu_exp_per_cycle = 0;                   // special-function unit exponentials (ex2)
    std::int64_t shared_memory_bytes = 0;           // the most one SM can give to shared memory
    std::int64_t shared_memory_bytes_per_block = 0; // the most one CTA can opt in to
    std::int64_t registers_32bit = 0;
    std::int64_t max_ctas = 0;
    std::int64_t max_threads = 0;
    // One warp's chain through a K/V tile of a decode main loop when the warp has its scheduler to
    // itself (one warp per SM sub-partition), so that nothing hides the latencies of its steps:
    // warp_tile_chain_cycles per tile (the cp.async wait and barriers, the max/exp/sum with their
    // shuffles, the rescale) plus warp_chain_cycles_per_kib for each KiB of the tile this warp
    // copies (its cp.async copies and the ldmatrix, MMAs and rescale over the same slices of E and
    // F). Warps of other schedulers, and other CTAs' warps, run their chains side by side; further
    // warps of the same CTA on the same scheduler overlap their latencies but, meeting at the same
    // barriers, issue their per-KiB work in turn (a scheduler issues one warp instruction a cycle):
    // with w of them a tile step takes warp_tile_chain_cycles + w x the per-KiB part (measured: 128-key
    // tiles of 8 warps, one CTA an SM, at E = 64, validation/h200-2026-12-01/v5). No microbenchmark measures these:
    // `warp_chain_fitted` says whether they were fitted.
    double warp_tile_chain_cycles = 0;
    double warp_chain_cycles_per_kib = 0;
    bool warp_chain_fitted = false;
    std::int64_t warp_schedulers = 0; // SM sub-partitions, each issuing one warp instruction a cycle

    bool operator==(const GpuSm&) const = default;
};

struct GpuL2 {
    std::int64_t capacity_bytes = 0;
    double bandwidth_bytes_per_cycle = 0; // whole L2, per SM-clock cycle
    bool bandwidth_measured = false;      // false: a published or estimated figure, not measured here

    bool operator==(const GpuL2&) const = default;
};

struct GpuHbm {
    std::int64_t capacity_bytes = 0;
    double datasheet_bandwidth_gb_per_s = 0; // NVIDIA's peak figure
    double copy_bandwidth_gb_per_s = 0;      // device-to-device copy, what kernels can reach
    bool copy_bandwidth_measured = false;    // false: an estimate until cuda/ measures it
    double read_bandwidth_gb_per_s = 0;      // reads alone (decode streams K and V and writes little)
    bool read_bandwidth_measured = false;    // false: not measured, set to the copy bandwidth

    bool operator==(const GpuHbm&) const = default;
};

struct GpuOverheads {
    double launch_latency_us = 0; // one kernel launch, host call to first instruction
    double cta_start_ns = 0;      // starting one CTA on an SM
    double dram_latency_ns = 0;   // one load from HBM to an SM: what a CTA's loads in flight must cover
    bool measured = false;        // false: estimates until cuda/ measures them

    bool operator==(const GpuOverheads&) const = default;
};

// Thread-block clusters (Hopper): a cluster's CTAs run at the same time on the SMs of one GPC and
// read and write each other's shared memory over the SM-to-SM network (distributed shared memory).
struct GpuClusters {
    std::int64_t max_ctas = 0;           // the most CTAs a cluster may have; 0: no clusters (before Hopper)
    std::vector<std::int64_t> gpc_sms;   // SMs of each GPC, where the hardware places clusters
    double dsmem_latency_ns = 0;         // one dependent load from another SM's shared memory
    bool measured = false;               // false: estimates until einsim-gpu bench --only clusters measures them

    // Clusters of `ctas` CTAs that can be resident at once with `ctas_per_sm` CTAs an SM: each GPC
    // holds floor(SMs x ctas_per_sm / ctas) of them; 0 when clusters of that size do not exist.
    std::int64_t co_resident(std::int64_t ctas, std::int64_t ctas_per_sm) const;
    bool operator==(const GpuClusters&) const = default;
};

struct GpuArch {
    std::int64_t sm_count = 0;
    double boost_clock_mhz = 0;  // highest SM clock
    double tensor_clock_mhz = 0; // the clock NVIDIA's tensor-core peak figures are quoted at
    double tdp_w = 0;
    GpuSm sm;
    GpuL2 l2;
    GpuHbm hbm;
    GpuOverheads overheads;
    GpuClusters clusters;

    bool supports(DType dtype) const { return sm.tensor_flops_per_cycle.contains(dtype); }
    // Whole-GPU dense tensor-core peak at tensor_clock_mhz; nullopt when the format is not supported.
    std::optional<double> peak_tensor_flops_per_s(DType dtype) const;
    double hbm_copy_bytes_per_cycle() const { return hbm.copy_bandwidth_gb_per_s * 1e9 / (boost_clock_mhz * 1e6); }
    double l2_bandwidth_bytes_per_s() const { return l2.bandwidth_bytes_per_cycle * boost_clock_mhz * 1e6; }
    bool operator==(const GpuArch&) const = default;
};

} // namespace arch
