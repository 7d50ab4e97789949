#include <doctest/doctest.h>

#include "decode_problem.h"
#include "mappings/fa2_split_heuristic.h"
#include "mappings/gpu_policies.h"

using namespace mappings;

TEST_CASE("FA-2 split rule: batch x heads = 48 on 108 slots takes 2 splits (0.89 beats 3 splits' 0.67)") {
    // Eligible counts for 64 blocks: 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 16, 22, 32, 64. The best efficiency
    // is 64 splits' 3072/108 = 28.44 waves -> 28.44/29 = 0.981; 2 splits: 96/108 = 0.889 >= 0.85 x 0.981.
    CHECK(fa2_split_efficiency(48, 108, 64, 2) == doctest::Approx(96.0 / 108.0));
    CHECK(fa2_split_efficiency(48, 108, 64, 3) == doctest::Approx(144.0 / 108.0 / 2.0));
    CHECK(fa2_split_efficiency(48, 108, 64, 9) == 0.0); // ceil(64/9) = ceil(64/8) = 8: ineligible
    CHECK(fa2_num_splits(48, 108, 64) == 2);
}

TEST_CASE("FA-2 split rule: almost a full wave already, one block, or one unit") {
    CHECK(fa2_num_splits(87, 108, 64) == 1);  // 87 >= 0.8 x 108
    CHECK(fa2_num_splits(86, 108, 64) > 1);   // 86 < 86.4
    CHECK(fa2_num_splits(4, 108, 1) == 1);    // nothing to split
    // One unit, 1000 blocks, at most 128 splits, all in one wave: efficiency s/216. The best eligible count
    // is 125 (ceil(1000/125) = 8 < ceil(1000/124) = 9; 126..128 also give 8); 85% of 125/216 needs s >= 106.25,
    // and 107..111 give 10 blocks per split like 106: the first eligible count is 112 (9 blocks per split).
    CHECK(fa2_num_splits(1, 216, 1000) == 112);
}

TEST_CASE("FA-2 split rule on H100: what SDPA's flash backend runs in decode") {
    arch::GpuArch h100 = gpu_preset("h100");
    // B=1, H=32, d=128, 1024 keys: 32 units, 264 slots, 8 blocks of 128. Efficiency 32s/264 grows to s = 8
    // (0.97); 5, 6, 7 give 2 blocks per split like 4 and are skipped; the first within 85% is 8.
    Fa2SplitInputs in = fa2_split_inputs(decode_problem(1, 32, 32, 128, 1024), h100);
    CHECK(in.units == 32);
    CHECK(in.slots == 264);
    CHECK(in.n_blocks == 8);
    CHECK(fa2_num_splits(in.units, in.slots, in.n_blocks) == 8);
    CHECK(sdpa_flash_mapping(decode_problem(1, 32, 32, 128, 1024), h100).splits == 8);
    // GQA 64/8 packs the 8 query heads of a KV head as rows: 8 units; 4096 keys = 32 blocks; 32 splits fill
    // 256 of 264 slots (0.97), and 28..31 give 2 blocks per split like 27 and are skipped.
    in = fa2_split_inputs(decode_problem(1, 64, 8, 128, 4096), h100);
    CHECK(in.gqa_packed);
    CHECK(in.units == 8);
    CHECK(fa2_num_splits(in.units, in.slots, in.n_blocks) == 32);
    // Head dimension 64 uses 256-key blocks.
    CHECK(fa2_split_inputs(decode_problem(1, 32, 32, 64, 4096), h100).n_blocks == 16);
}

TEST_CASE("policies: FA-2 tiles by head dimension, FlashDecoding's split kernel, LeanAttention's persistent grid") {
    arch::GpuArch a100 = gpu_preset("a100");
    GpuMapping fa2 = fa2_mapping(decode_problem(1, 32, 32, 128, 4096));
    CHECK(fa2.decomposition == Decomposition::data_parallel);
    CHECK(fa2.tile_q == 128);
    CHECK(fa2.tile_kv == 64);
    CHECK(fa2_mapping(decode_problem(1, 32, 32, 64, 4096)).tile_kv == 128);
    GpuMapping fd = flashdecoding_mapping(decode_problem(16, 32, 32, 128, 4096), a100);
    CHECK(fd.decomposition == Decomposition::split_k);
    CHECK(fd.splits == 1); // 512 units fill more than 0.8 of 216 slots
    CHECK(fd.tile_q == 64);
    GpuMapping la = leanattention_mapping(decode_problem(1, 64, 8, 128, 4096), a100);
    CHECK(la.decomposition == Decomposition::stream_k);
    CHECK(la.gqa_pack);
    CHECK(la.ctas_per_sm == 2); // 80 KB of shared memory per CTA, 164 KB per SM
}

TEST_CASE("LeanAttention's grid: two CTAs per SM, at least two tiles a CTA when the work is small, 32 CTAs a row block at most") {
    arch::GpuArch a100 = gpu_preset("a100"), h100 = gpu_preset("h100");
    // Large work: 32 heads x 2048 tiles of 128 keys fill every slot of 2 x 108.
    CHECK(leanattention_mapping(decode_problem(1, 32, 32, 128, 262144), a100).grid_ctas == 216);
    // 32 heads x 8 tiles = 256 tiles <= 2 x 216: half as many CTAs as tiles.
    CHECK(leanattention_mapping(decode_problem(1, 32, 32, 128, 1024), a100).grid_ctas == 128);
    // One head of 128 tiles: at most 32 CTAs on it (4 tiles each), not 64.
    CHECK(leanattention_mapping(decode_problem(1, 1, 1, 128, 16384), a100).grid_ctas == 32);
    // One head of 2048 tiles: the cap again, whatever the slots.
    CHECK(leanattention_mapping(decode_problem(1, 1, 1, 128, 262144), a100).grid_ctas == 32);
    // GQA 64/8 packs 8 query heads per row block: 8 row blocks x 3 tiles = 24 tiles -> 12 CTAs.
    CHECK(leanattention_mapping(decode_problem(1, 64, 8, 128, 300), a100).grid_ctas == 12);
    // Head dimension 64 fits three CTAs per SM on H100, but the launcher asks for two.
    GpuMapping h = leanattention_mapping(decode_problem(4, 32, 32, 64, 65536), h100);
    CHECK(h.ctas_per_sm == 2);
    CHECK(h.grid_ctas == 264);
    // An explicit CTAs-per-SM count sizes the full grid.
    CHECK(leanattention_mapping(decode_problem(4, 32, 32, 128, 65536), a100, 1).grid_ctas == 108);
}
