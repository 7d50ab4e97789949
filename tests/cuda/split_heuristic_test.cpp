#include <doctest/doctest.h>

#include "cuda/split_heuristic.h"

using namespace einsim::gpu;

TEST_CASE("FA2 split heuristic: a nearly full wave is not split") {
  CHECK(fa2_num_splits(212, 264, 64, 128) == 1);  // 212 >= 0.8 * 264
  CHECK(fa2_num_splits(1000, 264, 64, 128) == 1);
}

TEST_CASE("FA2 split heuristic: hand-computed cases") {
  // One unit, 64 tiles, 264 slots: efficiency s/264 grows with s; only s = 64 is within 85%
  // of the best among eligible counts (55..63 give the same 2 tiles per split as 32).
  CHECK(fa2_num_splits(1, 264, 64, 128) == 64);
  // The cap on splits applies.
  CHECK(fa2_num_splits(1, 264, 64, 16) == 16);
  // 8 units, 32 tiles: s = 32 fills 256 of 264 slots.
  CHECK(fa2_num_splits(8, 264, 32, 128) == 32);
  // 100 units, 16 tiles: eligible 1,2,3,4,6,8,16 with efficiencies .38 .76 .57 .76 .76 .76 .87;
  // the first within 85% of .87 is 2.
  CHECK(fa2_num_splits(100, 264, 16, 128) == 2);
  // One tile: nothing to split.
  CHECK(fa2_num_splits(4, 264, 1, 128) == 1);
}

TEST_CASE("FA2 split heuristic: degenerate inputs give one split") {
  CHECK(fa2_num_splits(0, 264, 8, 128) == 1);
  CHECK(fa2_num_splits(4, 0, 8, 128) == 1);
  CHECK(fa2_num_splits(4, 264, 0, 128) == 1);
}
