// What the edge model says about dense vs DeltaLLM attention on one edge device, for the prefill
// of a prompt and for one decode step: time, energy, DRAM traffic and the work that sparsity skips.
#pragma once
#include <cstdint>
#include <string>

namespace sim {

// One stage (prefill or one decode step) of one variant (dense or delta), over all layers.
struct EdgeCost {
    double macs = 0;             // multiply-adds performed (scores and A·V)
    double skipped_macs = 0;     // delta-score multiply-adds skipped in zero blocks
    double exps = 0;
    double vector_ops = 0;       // softmax bookkeeping, delta construction, score accumulation
    double kept_elements = 0;    // delta elements gathered (kept blocks × block size, per key tile)
    double index_bytes = 0;      // skip metadata read on chip

    double compute_cycles = 0;   // MACs, exps and vector work at the device's peak rates
    double overhead_cycles = 0;  // index decode and gather of kept elements
    double dram_cycles = 0;      // DRAM bytes ÷ bandwidth
    double cycles = 0;           // max(compute + overhead, dram): compute and transfers overlap
    std::string bound;           // "compute" or "dram"
    double time_s = 0;

    double dram_read_bytes = 0;
    double dram_write_bytes = 0;
    double kv_read_bytes = 0;    // of the reads: the KV cache (or the prompt's K/V)
    double state_bytes = 0;      // delta state (score row, reference query) read + written

    double compute_pj = 0, overhead_pj = 0, onchip_pj = 0, dram_pj = 0, static_pj = 0;
    double energy_pj = 0;
};

struct EdgeStage {
    std::string stage;           // "prefill" or "decode"
    EdgeCost dense, delta;
    double speedup() const { return delta.time_s > 0 ? dense.time_s / delta.time_s : 0; }
    double energy_ratio() const { return dense.energy_pj > 0 ? delta.energy_pj / dense.energy_pj : 0; } // < 1: saves
    bool pays() const { return delta.time_s < dense.time_s && delta.energy_pj < dense.energy_pj; }
};

struct EdgeResult {
    std::string arch, model, element_type;
    std::int64_t heads = 0, kv_heads = 0, head_dim = 0, value_dim = 0, layers = 0, batch = 0;
    std::int64_t prefill_tokens = 0, decode_context = 0, window = 0;
    std::int64_t block_elements = 1;
    double element_sparsity = 0;        // fraction of zero delta elements
    double block_skip_probability = 0;  // fraction of delta blocks skipped (all elements zero)
    double kv_block_skip_probability = 0; // a K block skipped by every query head sharing it (decode reads)
    std::string sparsity_source;        // "given" (independent elements) or "measured"
    EdgeStage prefill, decode;
};

} // namespace sim
