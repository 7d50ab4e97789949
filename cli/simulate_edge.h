// The edge branch of `einsim simulate`: dense vs DeltaLLM attention on an edge NPU or CPU
// (sim/edge/edge_model.h), for the prefill of a prompt and one decode step, at a sparsity that is
// given (--sparsity) or measured on a token sequence (--sparsity-input), optionally swept over the
// skip granularity (--sweep-block).
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "cli/output_format.h"
#include "cli/spatial_inputs.h"

namespace cli {

// The help group of these options (simulate refuses them on other architectures).
inline constexpr const char* edge_option_group = "Edge (DeltaLLM)";

struct EdgeSimulateOptions {
    double sparsity = -1;        // given fraction of zero deltas; < 0: not given
    std::string sparsity_input;  // synth:rho=R[,seed=S] or npy:Q,K,V: measure it instead
    std::string measure_shape;   // extents of the synthetic measurement (default H=1, E=F=head dim, M=256)
    long long decode_context = 0; // default: --seq (or M)
    std::string sweep_block;     // e.g. 1,2,4,8,16
};

void add_edge_simulate_options(CLI::App* cmd, EdgeSimulateOptions& o);

// `raw` supplies the model name and sequence length as the user gave them.
int run_edge_simulate(const SpatialInputs& raw, const ResolvedSpatial& in, const EdgeSimulateOptions& o, Format format);

} // namespace cli
