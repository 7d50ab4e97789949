// The GPU mapper: for an attention problem on a GPU, searches decompositions (data-parallel,
// split-K counts, stream-K grid sizes), CTA tiles, loads in flight and GQA packing with the GPU-SM
// model, keeps the fastest legal mapping and says why it wins: its binding resource, and the best
// time each other decomposition reached.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arch/gpu.h"
#include "mappings/attention_problem.h"
#include "mappings/gpu_mapping.h"
#include "sim/gpu/gpu_result.h"

namespace sim::gpu {

struct MapperCandidate {
    mappings::GpuMapping mapping;
    double time_us = 0;
    std::string binding;
};

struct MapperChoice {
    mappings::GpuMapping mapping;
    GpuResult result;
    std::int64_t evaluated = 0;              // legal mappings timed
    std::vector<MapperCandidate> best_per_decomposition; // fastest found for each decomposition, fastest first
    std::string reason;                      // one sentence: what was chosen and why
};

struct MapperOptions {
    std::optional<mappings::Decomposition> only; // search one decomposition
    std::int64_t splits = 0;                     // > 0: fix split-K's count
    std::int64_t ctas_per_sm = 0;                // > 0: fix stream-K's CTAs per SM
    bool clusters = true;                        // stream-K grids may also run as thread-block clusters
};

// Stream-K grid sizes worth timing for a mapping's tiles and CTAs per SM, ascending: every resident
// slot (ctas_per_sm x SMs), LeanAttention's sizing (mappings::leanattention_grid), and each aligned
// grid that fits the slots, i.e. one under which every CTA's range lies inside one row block (its
// tiles divide the block's) or covers whole row blocks, so that no CTA runs two partial segments
// and a block's partials come from CTAs with equal shares.
std::vector<std::int64_t> stream_k_grid_candidates(const mappings::AttentionProblem& p, const mappings::GpuMapping& m,
                                                   const arch::GpuArch& g);
// The cluster size that makes `grid` a clustered stream-K grid for `m`'s row blocks (grid / row
// blocks, when they divide it and give at least 2); 0 otherwise. Legality decides whether it may run.
std::int64_t stream_k_cluster_for_grid(const mappings::AttentionProblem& p, const mappings::GpuMapping& m, std::int64_t grid);

// The candidate grid the GPU-SM model times fastest for `m` (a stream-K mapping), with `clusters`:
// each grid also clustered where legal; its time; nullopt when no candidate is legal. An
// unclustered grid as fast as the best so far replaces it (ties go to the larger grid); a
// clustered one must be faster.
struct StreamKGrid {
    std::int64_t grid_ctas = 0;
    std::int64_t cluster = 0;
    double time_us = 0;
    std::int64_t evaluated = 0; // legal grids timed
};
std::optional<StreamKGrid> fastest_stream_k_grid(const mappings::AttentionProblem& p, const mappings::GpuMapping& m,
                                                 const arch::GpuArch& g, bool clusters = true);

// Throws einsum::InputError when no candidate is legal.
MapperChoice map_gpu(const mappings::AttentionProblem& p, const arch::GpuArch& g, const MapperOptions& opt = {});

} // namespace sim::gpu
