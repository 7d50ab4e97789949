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

// Which rule keeps a stream-K space over `head_dim`-wide heads from running each unit's CTAs as
// one cluster: every CTA's range must lie within one unit (the ranges are equal and divide a unit's
// tiles), a unit must have 2..kMaxClusterCtas of them, and 4 C must divide head_dim (each CTA folds
// head_dim / C output columns in float4s). The one rule: the size and the message derive from it.
enum class ClusterObstacle { none, unequal_ranges, ranges_straddle_units, one_range, too_many_ranges, columns };

EINSIM_HD ClusterObstacle stream_k_cluster_check(const StreamKSpace& s, int64_t head_dim) {
  if (s.rem != 0 || s.base < 1) return ClusterObstacle::unequal_ranges;
  if (s.tiles_per_unit % s.base != 0) return ClusterObstacle::ranges_straddle_units;
  const int64_t c = s.tiles_per_unit / s.base;
  if (c < 2) return ClusterObstacle::one_range;
  if (c > kMaxClusterCtas) return ClusterObstacle::too_many_ranges;
  if (head_dim % (4 * c) != 0) return ClusterObstacle::columns;
  return ClusterObstacle::none;
}

// The cluster size C (a unit's ranges), or 0 when the space cannot be clustered.
EINSIM_HD int64_t stream_k_cluster_size(const StreamKSpace& s, int64_t head_dim) {
  return stream_k_cluster_check(s, head_dim) == ClusterObstacle::none ? s.tiles_per_unit / s.base : 0;
}

// Why stream_k_cluster_size(s, head_dim) is 0, in words for the message column; empty when it is not.
inline std::string stream_k_cluster_obstacle(const StreamKSpace& s, int64_t head_dim) {
  const std::string tiles = std::to_string(s.units) + " units x " + std::to_string(s.tiles_per_unit) +
                            " tiles over " + std::to_string(s.ctas) + " CTAs";
  const int64_t c = s.base >= 1 ? s.tiles_per_unit / s.base : 0;
  switch (stream_k_cluster_check(s, head_dim)) {
    case ClusterObstacle::none: return "";
    case ClusterObstacle::unequal_ranges:
      return tiles + ": unequal ranges (" + std::to_string(s.rem) + " one tile longer)";
    case ClusterObstacle::ranges_straddle_units:
      return tiles + ": ranges of " + std::to_string(s.base) + " tiles do not divide a unit's " +
             std::to_string(s.tiles_per_unit);
    case ClusterObstacle::one_range: return tiles + ": one range a unit, nothing to fold";
    case ClusterObstacle::too_many_ranges:
      return tiles + ": " + std::to_string(c) + " ranges a unit, more than " + std::to_string(kMaxClusterCtas);
    case ClusterObstacle::columns:
      return tiles + ": " + std::to_string(c) + " ranges a unit, and 4 x " + std::to_string(c) +
             " does not divide E = " + std::to_string(head_dim);
  }
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
