#include "sim/gpu/work_partition.h"

#include <algorithm>

namespace sim::gpu {

namespace {
std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }
} // namespace

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
