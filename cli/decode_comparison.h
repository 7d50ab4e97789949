// The decode comparison behind `einsim compare decode`: FlashAttention-2 (one CTA per row block),
// FlashDecoding (split-K by FlashAttention-2's heuristic, then a combine kernel), LeanAttention
// (stream-K) and, on request, PyTorch's SDPA flash backend, timed by the GPU-SM model over a grid
// of context lengths, batches, head counts and head dimensions, with speedups per point and their
// averages by context and by batch x heads.
#pragma once
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "arch/gpu.h"
#include "einsum/input_error.h"
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
    std::int64_t slots = 0;               // CTAs of the first kernel resident at once (SMs x CTAs per SM)
    double floor_us = 0;                  // one launch, then the compulsory bytes at the copy bandwidth
    double headroom = 0;                  // time / floor: the most any kernel could gain over this one
    double second_kernel_us = 0;          // launches and spans of the kernels after the first (split-K's combine)
    // Against FlashDecoding: the time this kernel saves (negative: loses), split into FlashDecoding's
    // second kernel (its launch and the combine) and the rest (its split kernel against this one:
    // wave quantization and tails, less this kernel's own reduction), and the larger of the two causes
    // in words.
    double saved_us = 0, saved_combine_us = 0, saved_split_us = 0;
    std::string vs_flashdecoding;
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
    // Against flashdecoding only: the points where FlashDecoding already streams at >= 90% of the
    // copy bandwidth and the others; per context, the largest headroom of FlashDecoding (no kernel can
    // gain more there); and the shares of the saved time due to its second kernel and to its split
    // kernel (over the points where this kernel saves time).
    SpeedupStats baseline_at_copy_bandwidth, baseline_below_copy_bandwidth;
    std::map<long long, double> baseline_headroom_by_context;
    double saved_combine_share = 0, saved_split_share = 0;
    double saved_combine_us = 0, saved_split_us = 0; // the same, summed in microseconds (the split part may be < 0)
};

// Throws einsum::InputError naming `option` when a value is listed twice in `values`.
template <class T>
void refuse_repeats(const std::vector<T>& values, const char* option) {
    for (std::size_t i = 0; i < values.size(); ++i)
        for (std::size_t k = 0; k < i; ++k)
            if (values[i] == values[k]) {
                std::string v;
                if constexpr (std::is_same_v<T, std::string>) v = values[i];
                else v = std::to_string(values[i]);
                throw einsum::InputError({option, 0, 0, v}, std::string(option) + " lists " + v + " twice");
            }
}

// Each context, batch, head pair (32 and 32/32 are one), head dimension and kernel of the grid once:
// a repeat would write the same point twice. Throws einsum::InputError naming the option.
void refuse_repeated_grid_values(const DecodeGrid& grid);

// Throws einsum::InputError for a malformed "H/Hkv" or an unknown kernel name.
std::vector<DecodeRow> run_decode_comparison(const arch::GpuArch& g, const std::string& arch_name, const DecodeGrid& grid);
// Summaries of every requested kernel against fa2 and flashdecoding (itself excluded).
std::vector<DecodeSummary> summarize(const std::vector<DecodeRow>& rows, const DecodeGrid& grid);

} // namespace cli
