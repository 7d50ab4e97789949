// How attention runs on a GPU: the CTA tile (query rows x key/value columns), the loads each CTA
// keeps in flight, its warps, how the work is cut into CTAs (data-parallel, split-K, stream-K) and
// whether query heads that share a key/value head are packed into one CTA. A plain value, like the
// spatial Mapping; it makes a design fast or slow, never wrong.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mappings {

enum class Decomposition {
    data_parallel, // one CTA per (batch, head, query-row block) over the whole context (FlashAttention-2)
    split_k,       // S CTAs per row block over contiguous context ranges, then a combine kernel (FlashDecoding)
    stream_k,      // a persistent grid; flattened (row block, key tile) cut into equal ranges (LeanAttention)
};
const char* name(Decomposition d);
// "data_parallel" | "split_k" | "stream_k" (also "dp", "splitk", "streamk"); nullopt otherwise.
std::optional<Decomposition> parse_decomposition(std::string_view text);

struct GpuMapping {
    std::string name = "custom";  // where it came from: fa2, fa2-split, leanattention, mapper, custom
    std::int64_t tile_q = 64;     // query rows per CTA tile: the M of its MMAs, padded when fewer rows exist
    std::int64_t tile_kv = 128;   // keys (and values) per tile
    std::int64_t stages = 1;      // K or V blocks each CTA keeps in flight (1: load one while computing on the other)
    std::int64_t warps = 4;
    std::int64_t warps_kv = 1;    // warps side by side along the key tile, each with its own softmax state and output
                                  // accumulator (merged at the end); the others split the query rows
    Decomposition decomposition = Decomposition::data_parallel;
    std::int64_t splits = 1;      // split_k: S ranges of the context per row block
    std::int64_t ctas_per_sm = 0; // resident CTAs per SM, 0: as many as fit; stream_k's grid is ctas_per_sm x SMs
                                  // (or grid_ctas when set)
    std::int64_t grid_ctas = 0;   // stream_k: an explicit grid size; 0 = ctas_per_sm x SMs
    std::int64_t cluster = 0;     // stream_k: > 1: each row block's CTAs (its `cluster` equal ranges) run as one
                                  // thread-block cluster and fold through distributed shared memory, no partials
                                  // in global memory; 0: no clusters
    bool gqa_pack = false;        // query heads sharing a KV head become rows of one CTA (KV read once)
    std::int64_t combine_rows = 0; // split_k: output rows per combine CTA; 0: FlashAttention-2's (4, 8 or 16 rows a
                                   // CTA); > 0: one CTA a row block folding its partials 16 at a time (einsim-gpu)

    std::int64_t threads() const { return warps * 32; }
    bool operator==(const GpuMapping&) const = default;
};

// "split_k(8)", "stream_k(2/SM)", "data_parallel".
std::string decomposition_text(const GpuMapping& m);
// One line: "fa2: data_parallel, tile 128x64, stages 1, 4 warps, gqa_pack off".
std::string describe(const GpuMapping& m);
// The mapping in TOML (a [gpu_mapping] table), for saving and comparing.
std::string to_toml(const GpuMapping& m);

} // namespace mappings
