#include "sim/gpu/work_partition.h"

#include <algorithm>

namespace sim::gpu {

namespace {
std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }
} // namespace

std::int64_t WorkLayout::rows_in_block(std::int64_t block) const {
    std::int64_t b = block % blocks_per_head;
    return std::min(tile_q, rows_per_head - b * tile_q);
}

WorkLayout work_layout(const mappings::AttentionProblem& p, const mappings::GpuMapping& m) {
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

std::vector<TileRange> split_ranges(std::int64_t tiles, std::int64_t splits) {
    std::vector<TileRange> out;
    std::int64_t per = ceil_div(tiles, splits);
    for (std::int64_t s = 0; s < splits; ++s) {
        std::int64_t first = std::min(tiles, s * per);
        out.push_back({first, std::min(tiles, first + per)});
    }
    return out;
}

std::vector<TileRange> stream_k_ranges(std::int64_t total, std::int64_t ctas) {
    std::vector<TileRange> out;
    std::int64_t base = total / ctas, extra = total % ctas, at = 0;
    for (std::int64_t c = 0; c < ctas; ++c) {
        std::int64_t n = base + (c < extra ? 1 : 0);
        out.push_back({at, at + n});
        at += n;
    }
    return out;
}

std::vector<std::vector<Segment>> stream_k_segments(std::int64_t row_blocks, std::int64_t tiles_per_block, std::int64_t ctas) {
    std::vector<std::vector<Segment>> out(static_cast<std::size_t>(ctas));
    std::vector<TileRange> ranges = stream_k_ranges(row_blocks * tiles_per_block, ctas);
    for (std::int64_t c = 0; c < ctas; ++c) {
        std::int64_t t = ranges[c].first;
        while (t < ranges[c].last) {
            std::int64_t block = t / tiles_per_block;
            std::int64_t first = t - block * tiles_per_block;
            std::int64_t last = std::min(tiles_per_block, first + (ranges[c].last - t));
            Segment s;
            s.block = block;
            s.tiles = {first, last};
            s.host = first == 0;
            s.complete = first == 0 && last == tiles_per_block;
            out[c].push_back(s);
            t += last - first;
        }
    }
    return out;
}

std::int64_t wave_count(std::int64_t ctas, std::int64_t slots) { return slots > 0 ? ceil_div(ctas, slots) : 0; }

} // namespace sim::gpu
