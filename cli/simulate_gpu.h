// The GPU branch of `einsim simulate`: its options (--decomposition, --splits, --ctas-per-sm,
// --policy, tile overrides), turning the cascade and shape into an attention problem, choosing the
// mapping (the cascade's own decomposition, a named policy, or the GPU mapper) and printing the
// GPU-SM model's result.
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "cli/output_format.h"
#include "cli/spatial_inputs.h"
#include "mappings/attention_problem.h"

namespace cli {

// The help group of these options (simulate refuses them on other architectures).
inline constexpr const char* gpu_option_group = "GPU architectures";

struct GpuSimulateOptions {
    std::string decomposition = "cascade"; // cascade | auto | data_parallel | split_k | stream_k
    std::string policy;                    // fa2 | sdpa | flashdecoding | leanattention
    long long splits = 0, ctas_per_sm = 0;
    long long tile_q = 0, tile_kv = 0, stages = 0, warps = 0;
    long long cluster = 0;                 // stream_k: clusters of this many CTAs, one row block each
    std::string gqa_pack;                  // on | off (default: the decomposition's own choice)
};

void add_gpu_simulate_options(CLI::App* cmd, GpuSimulateOptions& o);

// B, H, E, F, M, P and Hkv from the cascade under the binding; `Hkv` is accepted for the cascades'
// HKV rank, and for a cascade without one it sets the key/value heads directly.
mappings::AttentionProblem gpu_problem(const einsum::Cascade& c, einsum::ShapeBinding binding);

int run_gpu_simulate(const ResolvedSpatial& in, const GpuSimulateOptions& o, Format format);

} // namespace cli
