// How a GPU mapping cuts attention into row blocks (a batch, a head or a packed KV-head group, and
// up to tile_q query rows), each over its context's key tiles: the unit of work every
// decomposition hands to CTAs.
#pragma once
#include <cstdint>

#include "mappings/attention_problem.h"
#include "mappings/gpu_mapping.h"

namespace mappings {

struct WorkLayout {
    std::int64_t heads = 0;            // heads a row block belongs to: H, or Hkv when GQA is packed
    std::int64_t rows_per_head = 0;    // query rows per head: P, or P x group when packed
    std::int64_t tile_q = 0;
    std::int64_t blocks_per_head = 0;  // ceil(rows_per_head / tile_q)
    std::int64_t row_blocks = 0;       // B x heads x blocks_per_head: data-parallel CTAs
    std::int64_t tiles = 0;            // key tiles per row block: ceil(M / tile_kv)
    std::int64_t rows_in_block(std::int64_t block) const; // valid rows of one row block (the last may be short)
};
WorkLayout work_layout(const AttentionProblem& p, const GpuMapping& m);

} // namespace mappings
