// Clustered stream-K (decode_stream_k_cluster.cu; a job's `cluster` column, `--sk-cluster`): which grids
// may run a unit's CTAs as one thread-block cluster, and the receive buffer each CTA keeps past the
// layout's shared memory for the slices the others push to it. One formula for the launch (host)
// and the kernel (device), tested on the CPU (tests/cuda/stream_k_cluster_test.cpp).
#pragma once

#include <cstdint>
#include <string>

#include "hd.h"
#include "stream_k_ranges.h"

namespace einsim::gpu {

constexpr int64_t kMaxClusterCtas = 16;  // 8 is the portable limit; Hopper allows 16 on opt-in

// The cluster size C for a stream-K space over `head_dim`-wide heads, or 0 when it cannot be
// clustered: every CTA's range must lie within one unit (the ranges are equal and divide a unit's
// tiles), a unit must have 2..kMaxClusterCtas of them, and C must divide head_dim / 4 (each CTA
// folds head_dim / C output columns in float4s).
EINSIM_HD int64_t stream_k_cluster_size(const StreamKSpace& s, int64_t head_dim) {
  if (s.rem != 0 || s.base < 1 || s.tiles_per_unit % s.base != 0) return 0;
  const int64_t c = s.tiles_per_unit / s.base;
  if (c < 2 || c > kMaxClusterCtas || (head_dim / 4) % c != 0) return 0;
  return c;
}

// Why stream_k_cluster_size(s, head_dim) is 0, in words for the message column; empty when it is not.
inline std::string stream_k_cluster_obstacle(const StreamKSpace& s, int64_t head_dim) {
  const std::string tiles = std::to_string(s.units) + " units x " + std::to_string(s.tiles_per_unit) +
                            " tiles over " + std::to_string(s.ctas) + " CTAs";
  if (s.rem != 0 || s.base < 1)
    return tiles + ": unequal ranges (" + std::to_string(s.rem) + " one tile longer)";
  if (s.base > s.tiles_per_unit || s.tiles_per_unit % s.base != 0)
    return tiles + ": ranges of " + std::to_string(s.base) + " tiles do not divide a unit's " +
           std::to_string(s.tiles_per_unit);
  const int64_t c = s.tiles_per_unit / s.base;
  if (c < 2) return tiles + ": one range a unit, nothing to fold";
  if (c > kMaxClusterCtas)
    return tiles + ": " + std::to_string(c) + " ranges a unit, more than " +
           std::to_string(kMaxClusterCtas);
  if ((head_dim / 4) % c != 0)
    return tiles + ": " + std::to_string(c) + " ranges a unit do not divide E / 4 = " +
           std::to_string(head_dim / 4);
  return "";
}

// The receive buffer of one CTA: `ranks` slots (one a sender) of rows_cta rows, each row the
// sender's acc for the owner's head_dim / ranks columns, then (m, l) and two floats of padding so
// that every row starts 16-byte aligned.
struct ClusterReceive {
  int cols = 0;         // head_dim / ranks: the output columns a CTA folds
  int row_floats = 0;   // cols + 4
  int slot_floats = 0;  // rows_cta * row_floats
  EINSIM_HD int64_t bytes(int ranks) const { return int64_t(ranks) * slot_floats * 4; }
};
EINSIM_HD ClusterReceive cluster_receive(int rows_cta, int head_dim, int ranks) {
  ClusterReceive r;
  r.cols = head_dim / ranks;
  r.row_floats = r.cols + 4;
  r.slot_floats = rows_cta * r.row_floats;
  return r;
}

}  // namespace einsim::gpu
