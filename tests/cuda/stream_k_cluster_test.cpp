// Clustered stream-K's grid rule and receive buffer (cuda/stream_k_cluster.h), on the CPU.
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>

#include "cuda/stream_k_cluster.h"

using namespace einsim::gpu;

TEST_CASE("stream_k_cluster_size: equal ranges within units, 2..16 a unit, 4 C dividing E") {
  // B = 1, 64/8 heads, 1K keys in 128-key tiles: 8 units of 8 tiles.
  CHECK(stream_k_cluster_size(make_stream_k_space(8, 8, 64), 64) == 8);    // one tile a CTA
  CHECK(stream_k_cluster_size(make_stream_k_space(8, 8, 32), 64) == 4);    // two
  CHECK(stream_k_cluster_size(make_stream_k_space(8, 8, 8), 64) == 0);     // one CTA a unit: nothing to fold
  CHECK(stream_k_cluster_size(make_stream_k_space(8, 8, 16), 128) == 2);
  // 64K keys: 512 tiles a unit; 128 CTAs -> 16 a unit (Hopper's largest cluster), 256 -> 32: none.
  CHECK(stream_k_cluster_size(make_stream_k_space(8, 512, 128), 64) == 16);
  CHECK(stream_k_cluster_size(make_stream_k_space(8, 512, 256), 64) == 0);
  // E = 64 holds 16 float4s a row: 16 CTAs fold one each; at E = 32 (8 float4s) 16 cannot.
  CHECK(stream_k_cluster_size(make_stream_k_space(8, 512, 128), 32) == 0);
  // Ranges that straddle units (64 tiles over 24 CTAs) or differ in length: none.
  CHECK(stream_k_cluster_size(make_stream_k_space(8, 8, 24), 64) == 0);
  // Ranges within units but 3 CTAs a unit (9 tiles, 3 a CTA): 3 does not divide E / 4 = 16.
  CHECK(stream_k_cluster_size(make_stream_k_space(4, 9, 12), 64) == 0);
  CHECK(stream_k_cluster_size(make_stream_k_space(4, 12, 16), 64) == 4);  // 12 tiles, 3 a CTA: 4 a unit
  // A CTA covering whole units (B = 16, 512 units of 8 tiles over 256 CTAs): none.
  CHECK(stream_k_cluster_size(make_stream_k_space(512, 8, 256), 64) == 0);
}

TEST_CASE("stream_k_cluster_obstacle: says which rule a grid breaks (one message a rule), empty when it clusters") {
  CHECK(stream_k_cluster_obstacle(make_stream_k_space(8, 8, 32), 64).empty());
  CHECK(stream_k_cluster_obstacle(make_stream_k_space(8, 512, 128), 64).empty());
  CHECK(stream_k_cluster_obstacle(make_stream_k_space(8, 8, 24), 64) ==
        "8 units x 8 tiles over 24 CTAs: unequal ranges (16 one tile longer)");
  // 48 tiles over 12 CTAs: ranges of 4 tiles in units of 6.
  CHECK(stream_k_cluster_obstacle(make_stream_k_space(8, 6, 12), 64) ==
        "8 units x 6 tiles over 12 CTAs: ranges of 4 tiles do not divide a unit's 6");
  CHECK(stream_k_cluster_obstacle(make_stream_k_space(512, 8, 256), 64) ==
        "512 units x 8 tiles over 256 CTAs: ranges of 16 tiles do not divide a unit's 8");
  CHECK(stream_k_cluster_obstacle(make_stream_k_space(8, 8, 8), 64) ==
        "8 units x 8 tiles over 8 CTAs: one range a unit, nothing to fold");
  CHECK(stream_k_cluster_obstacle(make_stream_k_space(8, 512, 256), 64) ==
        "8 units x 512 tiles over 256 CTAs: 32 ranges a unit, more than 16");
  CHECK(stream_k_cluster_obstacle(make_stream_k_space(4, 9, 12), 64) ==
        "4 units x 9 tiles over 12 CTAs: 3 ranges a unit, and 4 x 3 does not divide E = 64");
}

TEST_CASE("cluster_receive: a slot a sender, rows of its columns then (m, l), 16-byte aligned") {
  const ClusterReceive r = cluster_receive(16, 64, 8);
  CHECK(r.cols == 8);
  CHECK(r.row_floats == 12);
  CHECK(r.row_floats % 4 == 0);
  CHECK(r.slot_floats == 16 * 12);
  CHECK(r.bytes(8) == 8 * 16 * 12 * 4);  // 6 KiB beside the 99 KiB of a 128-key, 3-stage CTA
  const ClusterReceive wide = cluster_receive(16, 128, 16);
  CHECK(wide.cols == 8);
  CHECK(wide.bytes(16) == 16 * 16 * 12 * 4);
  // Every (ranks, E) the size rule admits leaves whole float4 rows.
  for (int e : {64, 128})
    for (int c = 2; c <= 16; ++c)
      if ((e / 4) % c == 0) CHECK(cluster_receive(16, e, c).row_floats % 4 == 0);
}
