// The edge model: latency and energy of causal softmax attention on an edge NPU or CPU, dense
// and with DeltaLLM's temporal sparsity (workloads/attention/deltallm*.toml), for the prefill of a
// prompt and for one decode step at a given context. Analytical, per layer, times layers and batch.
//
// What the delta variant changes (everything else, softmax and A·V included, is the same work):
// - The key leaving the local window of W keys is scored once with the reference query (E MACs);
//   older keys' scores are the previous row plus ΔQ·K. Skipping is
//   per block of `block_elements` consecutive channels of ΔQ; a block is skipped only when all
//   its elements are zero. Kept blocks cost their MACs at the peak rate (one query at a time,
//   streaming the kept channels' K rows: optimistic for tensor cores, which prefer 16-row tiles),
//   one index read per kept block, and the gather of their delta elements, once per key tile (the
//   keys whose kept K rows fit the innermost memory level).
// - Extra vector work: building ΔQ (3 ops per query channel) and accumulating the score row
//   (1 add per key outside the window).
// - Decode reads only the K rows of kept blocks for keys outside the window (the cache is kept
//   channel-major, K[e, m], as in the cascades), but a K block is skipped only when every query
//   head that shares it under grouped-query attention skips it. It reads the carried score row
//   (4 bytes per older key per query head) and writes it back, and reads and writes
//   the reference query. Prefill writes that state once at its end.
// Sparsity does not pay when the skipped MACs and bytes do not cover these costs: too few zero
// deltas, blocks too coarse to be all zero, or query heads too many per K head.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "arch/edge.h"
#include "sim/edge/edge_result.h"

namespace sim {

struct EdgeWorkload {
    std::string model = "custom";
    std::int64_t heads = 1, kv_heads = 1, head_dim = 64, value_dim = 64, layers = 1, batch = 1;
    std::int64_t prefill_tokens = 1024; // prompt length N (causal prefill)
    std::int64_t decode_context = 1024; // keys in the cache when one decode step runs, its own included
    std::int64_t window = 4;            // W: exact keys per query
    std::string element_type = "fp16";  // fp16 or int8: operand bytes and MAC rate
    double score_bytes = 4;             // precision of the carried score row
};

struct EdgeSparsityInput {
    double element_sparsity = 0;                         // fraction of zero delta elements
    std::optional<double> block_skip_probability;        // measured at the arch's block size; else modelled
    std::string source = "given";
};

// Probability that a block of `block_elements` delta elements is all zero when each element is zero
// independently with probability `element_sparsity`: s^G. Real activations whose zeros cluster
// skip more often; pass a measured value then.
double block_skip_probability(double element_sparsity, std::int64_t block_elements);

// Throws std::invalid_argument for a workload or sparsity out of range (non-positive extents,
// heads not a multiple of kv_heads, sparsity outside [0, 1], unknown element type) or an arch
// with no compute.
EdgeResult simulate_edge(const arch::EdgeArch& arch, const std::string& arch_name, const EdgeWorkload& w, const EdgeSparsityInput& s);

} // namespace sim
