#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "sim/gpu/work_partition.h"

using namespace sim::gpu;

TEST_CASE("waves: 132 slots take 132 equal CTAs in one wave and 133 in two") {
    CHECK(wave_count(132, 132) == 1);
    CHECK(wave_count(133, 132) == 2);
    CHECK(wave_count(264, 132) == 2);
    CHECK(wave_count(265, 132) == 3);
    CHECK(wave_count(1, 264) == 1);
}

TEST_CASE("split ranges: ceil(tiles / splits) each, the last ones short or empty") {
    std::vector<TileRange> r = split_ranges(10, 4); // 3, 3, 3, 1
    REQUIRE(r.size() == 4);
    CHECK(r[0] == TileRange{0, 3});
    CHECK(r[1] == TileRange{3, 6});
    CHECK(r[2] == TileRange{6, 9});
    CHECK(r[3] == TileRange{9, 10});
    r = split_ranges(8, 5); // 2, 2, 2, 2, 0
    CHECK(r[4].size() == 0);
    CHECK(r[3] == TileRange{6, 8});
}

TEST_CASE("stream-K ranges are contiguous, cover every tile once and differ by at most one") {
    std::vector<TileRange> r = stream_k_ranges(10, 4); // 3, 3, 2, 2
    CHECK(r[0] == TileRange{0, 3});
    CHECK(r[1] == TileRange{3, 6});
    CHECK(r[2] == TileRange{6, 8});
    CHECK(r[3] == TileRange{8, 10});
    r = stream_k_ranges(3, 5); // more CTAs than tiles: two stay empty
    CHECK(r[2] == TileRange{2, 3});
    CHECK(r[3].size() == 0);
    CHECK(r[4].size() == 0);
}

TEST_CASE("stream-K segments cover every (row block, tile) exactly once, with one host per block") {
    std::mt19937_64 rng(42);
    for (int trial = 0; trial < 300; ++trial) {
        const long long B = 1 + long(rng() % 4), H = 1 + long(rng() % 40), M = 1 + long(rng() % 5000);
        const long long tile = std::vector<long long>{16, 64, 128, 256}[rng() % 4];
        const long long tiles = (M + tile - 1) / tile, blocks = B * H;
        const long long ctas = 1 + long(rng() % 300);
        INFO("B=" << B << " H=" << H << " M=" << M << " tile=" << tile << " ctas=" << ctas);
        auto segs = stream_k_segments(blocks, tiles, ctas);
        REQUIRE((long long)segs.size() == ctas);
        std::vector<int> seen(std::size_t(blocks * tiles), 0);
        std::vector<int> hosts(std::size_t(blocks), 0);
        long long most = 0, fewest = blocks * tiles;
        for (const auto& cta : segs) {
            long long held = 0;
            for (const Segment& s : cta) {
                CHECK(s.tiles.size() > 0);
                CHECK(s.host == (s.tiles.first == 0));
                CHECK(s.complete == (s.tiles.first == 0 && s.tiles.last == tiles));
                for (long long t = s.tiles.first; t < s.tiles.last; ++t) seen[std::size_t(s.block * tiles + t)]++;
                if (s.host) hosts[std::size_t(s.block)]++;
                held += s.tiles.size();
            }
            most = std::max(most, held);
            fewest = std::min(fewest, held);
        }
        CHECK(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
        CHECK(std::all_of(hosts.begin(), hosts.end(), [](int n) { return n == 1; }));
        CHECK(most - fewest <= 1); // every CTA the same work whatever B x H is
    }
}

TEST_CASE("work layout: GQA packing turns a KV head's query heads into rows of one block") {
    mappings::AttentionProblem p;
    p.B = 2, p.H = 64, p.Hkv = 8, p.E = 128, p.F = 128, p.M = 1000, p.P = 1;
    mappings::GpuMapping m;
    m.tile_q = 64, m.tile_kv = 128;
    WorkLayout w = work_layout(p, m);
    CHECK(w.heads == 64);
    CHECK(w.row_blocks == 2 * 64);
    CHECK(w.tiles == 8); // ceil(1000 / 128)
    m.gqa_pack = true;
    w = work_layout(p, m);
    CHECK(w.heads == 8);
    CHECK(w.rows_per_head == 8);
    CHECK(w.row_blocks == 2 * 8);
    m.tile_q = 16;
    p.P = 3; // 24 rows per KV head in blocks of 16: 16 + 8
    w = work_layout(p, m);
    CHECK(w.blocks_per_head == 2);
    CHECK(w.rows_in_block(0) == 16);
    CHECK(w.rows_in_block(1) == 8);
}
