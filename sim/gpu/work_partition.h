// How attention work is cut into CTAs: row blocks (a batch, a head or a packed KV-head group, and up
// to tile_q query rows) over key tiles; split-K's contiguous ranges of a row block's tiles; stream-K's
// equal ranges of the flattened (row block, tile) space, with the pieces of each row block they hold.
#pragma once
#include <cstdint>
#include <vector>

#include "mappings/attention_problem.h"
#include "mappings/gpu_mapping.h"
#include "mappings/work_layout.h"

namespace sim::gpu {

// Row blocks and what each holds (mappings/work_layout.h).
using mappings::WorkLayout;
using mappings::work_layout;

struct TileRange {
    std::int64_t first = 0, last = 0; // [first, last)
    std::int64_t size() const { return last - first; }
    bool operator==(const TileRange&) const = default;
};

// Split-K as FlashAttention-2 cuts it: ceil(tiles / splits) tiles per split, the last ones shorter
// (or empty when the count does not divide).
std::vector<TileRange> split_ranges(std::int64_t tiles, std::int64_t splits);
// Stream-K: `total` tiles over `ctas` CTAs, contiguous, sizes differing by at most one (the first
// total mod ctas CTAs hold one more).
std::vector<TileRange> stream_k_ranges(std::int64_t total, std::int64_t ctas);

// The piece of one row block a stream-K CTA holds.
struct Segment {
    std::int64_t block = 0;  // row block index (in launch order)
    TileRange tiles;         // tiles of that row block, [first, last)
    bool host = false;       // holds the block's tile 0: reduces the others' partials and writes the output
    bool complete = false;   // holds every tile of the block: no reduction needed
};
// Per CTA, its segments in processing order. A block's host processes its segment last in its own
// range, so the other pieces (at the start of later CTAs' ranges) are usually done by then.
std::vector<std::vector<Segment>> stream_k_segments(std::int64_t row_blocks, std::int64_t tiles_per_block, std::int64_t ctas);

// Waves of equal CTAs: ceil(ctas / slots), slots = SMs x resident CTAs per SM.
std::int64_t wave_count(std::int64_t ctas, std::int64_t slots);

} // namespace sim::gpu
