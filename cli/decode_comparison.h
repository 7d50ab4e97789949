// The decode comparison behind `einsim compare decode`: FlashAttention-2 (one CTA per row block),
// FlashDecoding (split-K by FlashAttention-2's heuristic, then a combine kernel), LeanAttention
// (stream-K) and, on request, PyTorch's SDPA flash backend, timed by the GPU-SM model over a grid
// of context lengths, batches, head counts and head dimensions, with speedups per point and their
// averages by context and by batch x heads.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "arch/gpu.h"
#include "mappings/attention_problem.h"
#include "mappings/gpu_mapping.h"
#include "sim/gpu/gpu_result.h"

namespace cli {

struct DecodeGrid {
    std::vector<long long> contexts;      // M
    std::vector<long long> batches;       // B
    std::vector<std::string> heads;       // "H/Hkv"
    std::vector<long long> head_dims;     // E = F
    std::vector<std::string> kernels;     // fa2, flashdecoding, leanattention, sdpa
    static DecodeGrid defaults();         // M 1K..512K (powers of two), B 1,4,16, H/Hkv 32/32, 64/8, E 64,128
};

struct DecodeRow {
    std::string kernel;                   // fa2, flashdecoding, leanattention, sdpa
    mappings::AttentionProblem problem;
    mappings::GpuMapping mapping;
    sim::gpu::GpuResult result;
    double speedup_vs_fa2 = 0;            // FA-2's time / this time
    double speedup_vs_flashdecoding = 0;
};

struct SpeedupStats {
    double mean = 0, geomean = 0, max = 0, min = 0;
    std::string argmax;                   // the point of the maximum
    long long points = 0;
};

struct DecodeSummary {
    std::string kernel, baseline;         // e.g. leanattention vs fa2
    SpeedupStats overall;
    std::map<long long, SpeedupStats> by_context;
    std::map<long long, SpeedupStats> by_batch_heads; // B x H
};

// Throws einsum::InputError for a malformed "H/Hkv" or an unknown kernel name.
std::vector<DecodeRow> run_decode_comparison(const arch::GpuArch& g, const std::string& arch_name, const DecodeGrid& grid);
// Summaries of every requested kernel against fa2 and flashdecoding (itself excluded).
std::vector<DecodeSummary> summarize(const std::vector<DecodeRow>& rows, const DecodeGrid& grid);

} // namespace cli
