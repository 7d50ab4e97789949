#include "mappings/work_layout.h"

#include <algorithm>

namespace mappings {

namespace {
std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }
} // namespace

std::int64_t WorkLayout::rows_in_block(std::int64_t block) const {
    std::int64_t b = block % blocks_per_head;
    return std::min(tile_q, rows_per_head - b * tile_q);
}

WorkLayout work_layout(const AttentionProblem& p, const GpuMapping& m) {
    WorkLayout w;
    bool pack = m.gqa_pack && p.H > p.Hkv;
    w.heads = pack ? p.Hkv : p.H;
    w.rows_per_head = pack ? p.P * p.group() : p.P;
    w.tile_q = m.tile_q;
    w.blocks_per_head = ceil_div(w.rows_per_head, m.tile_q);
    w.row_blocks = p.B * w.heads * w.blocks_per_head;
    w.tiles = ceil_div(p.M, m.tile_kv);
    return w;
}

} // namespace mappings
