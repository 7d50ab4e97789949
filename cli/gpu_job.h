// One measurement job of the einsim-gpu runner (cuda/README.md, "Jobs CSV") as einsim sees it: the
// problem and the knobs the runner launches with, the decode suite of issue 6 as a list of jobs, and
// the GPU mapping the GPU-SM model must time to predict what the runner (or PyTorch) ran.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "arch/gpu.h"
#include "cli/decode_comparison.h"
#include "mappings/attention_problem.h"
#include "mappings/gpu_mapping.h"

namespace cli {

// A measured row's decomposition names a PyTorch SDPA backend (torch_flash, torch_cudnn, ...) rather
// than one of ours.
inline bool is_pytorch_backend_name(const std::string& decomposition) { return decomposition.rfind("torch_", 0) == 0; }

struct GpuJob {
    std::string job_id;
    std::string kernel = "decode";               // decode | prefill
    std::string decomposition = "data_parallel"; // data_parallel | split_k | stream_k | torch_<backend> (measured rows)
    std::string dtype = "fp16";                  // fp16 | bf16
    long long B = 1, H = 1, Hkv = 1, E = 128, F = 128, M = 1, P = 1;
    long long tile_m = 0, tile_n = 64, splits = 0, ctas_per_sm = 1, warps = 4;
    long long grid_ctas = 0;                     // stream_k: the persistent grid's CTAs; 0 = ctas_per_sm x SMs
    long long cluster = 0;                       // stream_k: > 1: a unit's CTAs run as one thread-block cluster of this size

    long long group() const { return Hkv > 0 ? H / Hkv : 0; } // query heads per KV head
    bool is_pytorch_backend() const { return is_pytorch_backend_name(decomposition); }
    mappings::AttentionProblem problem() const;
    std::int64_t compulsory_bytes() const { return problem().compulsory_bytes(); }
};

// The runner's job columns, in the order einsim-gpu and sdpa_peer.py write them; the optional ones
// (grid_ctas and cluster, 0 when a file leaves them out: files written before they existed) are the last.
const std::vector<std::string>& gpu_job_columns();
const std::vector<std::string>& gpu_job_optional_columns();
std::vector<std::string> gpu_job_values(const GpuJob& j);

struct GpuJobsOptions {
    DecodeGrid grid = DecodeGrid::defaults();        // contexts, batches, heads, head dims (kernels unused)
    std::vector<std::string> decompositions{"data_parallel", "split_k", "stream_k"};
    std::string dtype = "fp16";
    long long tile_n = 64, warps = 4, splits = 0, ctas_per_sm = 2;
    double max_gib = 32;                             // jobs whose Q, K, V and O exceed this are left out
    // stream_k jobs' grid: "full" (grid_ctas 0: ctas_per_sm x SMs, as the runner defaults),
    // "leanattention" (LeanAttention's own sizing from the work, mappings::leanattention_grid, on `gpu`)
    // or "mapper" (of sim::gpu::stream_k_grid_candidates, the one the GPU-SM model times fastest on `gpu`).
    std::string stream_k_grid = "full";
    // stream_k jobs' tile, warps and CTAs an SM: "fixed" (tile_n, warps, ctas_per_sm above) or "mapper"
    // (of stream_k_cta_shapes(), with each one's best grid, the one the GPU-SM model times fastest on
    // `gpu`; needs stream_k_grid "mapper").
    std::string stream_k_tiles = "fixed";
    // With "mapper" grids: whether a grid may also run clustered (the cluster column), where legal
    // and the model times it faster.
    bool stream_k_clusters = true;
    // The --kv-stages the jobs will be run with: "mapper" times each job with the K/V stages the
    // runner then picks (runner_kv_stages_for).
    long long kv_stages = 2;
    const arch::GpuArch* gpu = nullptr;              // needed for "leanattention" and "mapper"
};

struct GpuJobList {
    std::vector<GpuJob> jobs;
    std::vector<std::string> left_out;               // one line per job left out, with the reason
};

// The runner's stream-K CTA shapes that --stream-k-tiles mapper chooses among: 64- or 128-key tiles
// split over 2, 4 or 8 warps with 16 or 32 keys a warp (the kernel variants measured on the H200:
// validation/jobs_stream_k_candidates.csv), 1 to 4 CTAs an SM.
struct StreamKCtaShape {
    long long tile_n = 64, warps = 4, ctas_per_sm = 2;
};
const std::vector<StreamKCtaShape>& stream_k_cta_shapes();

// The K/V pipeline depth einsim-gpu picks for job j when run with --kv-stages max_kv_stages
// (cuda/launch_plan.cpp, a mirror of its rule and of cuda/attention_layout.h's shared memory): the
// deepest whose CTA stays within 113 KiB of shared memory (two CTAs an SM), or 226 KiB for a
// stream-K job of one CTA an SM, never fewer than 2.
long long runner_kv_stages_for(const GpuJob& j, long long max_kv_stages);

// The decode suite (P = 1, E = F): one job per (E, H/Hkv, B, M, decomposition), ids like
// "b1_h32-8_e128_m4k_st". Throws einsum::InputError on a bad H/Hkv, dtype or decomposition.
GpuJobList decode_suite_jobs(const GpuJobsOptions& o);
// The jobs CSV: comment lines (what made it, what was left out), the header, one row per job.
std::string jobs_csv(const GpuJobList& list, const std::string& command_line);

// What the runner reported it actually launched (its message column): "splits=0 -> 32",
// "grid 264 CTAs", "stages 3". Zero when the message does not say.
struct RunnerChoices {
    long long splits = 0, grid_ctas = 0, kv_stages = 0;
    long long cluster = 0;  // > 0: the runner ran clusters of this size; -1: it says it ran unclustered; 0: it does not say
};
RunnerChoices parse_runner_message(const std::string& message);

// The GPU mapping that times what ran: for our decompositions the runner's CTA (the G*P query rows
// of a KV head packed, padded to 16; tile_n keys split over the warps; kv_stages - 1 K/V tile pairs
// in flight), splits (given, reported, or FlashAttention-2's rule on the runner's tiles with 2 x SMs
// slots) and stream-K grid (reported, or min(ctas_per_sm x SMs, row blocks x tiles)); for
// torch_flash the SDPA flash policy. Throws einsum::InputError for a job no model covers
// (torch_cudnn, torch_efficient, an unknown decomposition), naming `where`.
mappings::GpuMapping runner_mapping(const GpuJob& j, const RunnerChoices& ran, const arch::GpuArch& g, const std::string& where);
// Whether the GPU-SM model has a mapping for this decomposition.
bool modelled_decomposition(const std::string& decomposition);

} // namespace cli
