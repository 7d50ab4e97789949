#include <doctest/doctest.h>

#include <set>

#include "cuda/attention_layout.h"

using namespace einsim::gpu;

// The K/V stages' layout (attention_layout.h): row r's 16-byte chunk c sits at chunk
// kv_swizzled_chunk(r, c) of the unpadded row. Checked for the compiled head dims: the copy of one
// 128-byte line of a row stays within one 128-byte line of shared memory, and the eight rows that
// one ldmatrix phase reads (eight consecutive keys from a multiple of eight, the same logical
// chunk) fall in eight distinct 16-byte bank groups of a 128-byte line, as the padded rows did.
TEST_CASE("swizzled K/V chunks: a permutation within each 128-byte line, conflict-free ldmatrix") {
  for (int halfs : {64, 128, 256}) {
    CAPTURE(halfs);
    const int chunks = halfs / 8;  // 16-byte chunks a row
    for (int r = 0; r < 64; ++r) {
      std::set<int> seen;
      for (int c = 0; c < chunks; ++c) {
        const int p = kv_swizzled_chunk(r, c);
        REQUIRE(p >= 0);
        REQUIRE(p < chunks);
        CHECK(p / 8 == c / 8);  // the same 128-byte line of the row
        seen.insert(p);
      }
      CHECK(int(seen.size()) == chunks);  // a permutation: nothing overwritten
    }
    for (int r0 = 0; r0 < 64; r0 += 8)
      for (int c = 0; c < chunks; ++c) {
        std::set<int> groups;  // (byte offset within the row stride's 128-byte line) / 16
        for (int r = r0; r < r0 + 8; ++r) {
          const int byte = r * halfs * 2 + kv_swizzled_chunk(r, c) * 16;
          groups.insert((byte % 128) / 16);
        }
        CHECK(groups.size() == 8);
      }
  }
}

TEST_CASE("the engine's per-lane offsets equal the swizzle of chunk 2 kk + c") {
  // attention_engine.cuh: k_off[i] = kv_swizzled_chunk(lane, 2 i + c) * 16 and the address of
  // chunk 2 kk + c is k_off[kk % 4] + 128 (kk / 4), for rows whose low three bits are lane % 8.
  for (int lane = 0; lane < 32; ++lane)
    for (int c = 0; c < 2; ++c)
      for (int kk = 0; kk < 16; ++kk) {
        const int row = 8 * 5 + lane % 8;  // any row with these low bits
        const int direct = kv_swizzled_chunk(row, 2 * kk + c) * 16;
        const int via_offsets = kv_swizzled_chunk(lane, 2 * (kk % 4) + c) * 16 + 128 * (kk / 4);
        CHECK(direct == via_offsets);
      }
}
