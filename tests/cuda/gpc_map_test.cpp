// The GPC map of the cluster bench (cuda/gpc_map.h): components of "shared a cluster" and the
// per-GPC packing rule, on hand-counted cases.
#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "cuda/gpc_map.h"

using namespace einsim::gpu;

TEST_CASE("gpc_map_from_clusters: SMs that shared a cluster, transitively, are one GPC") {
  // 8 SMs: 0-1 and 1-2 shared clusters (one GPC of 3), 4-5 one (a GPC of 2); 6 ran a cluster of one
  // CTA and 3 a cluster whose two CTAs were both on it (lone: a GPC each); 7 never ran.
  const GpcMap m = gpc_map_from_clusters(8, {{0, 1}, {1, 2}, {4, 5}, {6}, {3, 3}, {5, 4}});
  CHECK(m.gpc_sms == std::vector<int>{3, 2, 1, 1});
  CHECK(m.covered_sms == 7);
  CHECK(m.lone_sms == 2);
  CHECK(format_gpc_sms(m.gpc_sms) == "3 2 1 1");

  // Clusters of 4 that overlap in one SM each chain two groups into one GPC of 7.
  const GpcMap chain = gpc_map_from_clusters(10, {{0, 1, 2, 3}, {3, 4, 5, 6}, {7, 8, 9, 7}});
  CHECK(chain.gpc_sms == std::vector<int>{7, 3});
  CHECK(chain.covered_sms == 10);
  CHECK(chain.lone_sms == 0);

  // Nothing observed: no GPC, nothing covered.
  const GpcMap none = gpc_map_from_clusters(4, {});
  CHECK(none.gpc_sms.empty());
  CHECK(none.covered_sms == 0);
  CHECK(format_gpc_sms(none.gpc_sms).empty());

  CHECK_THROWS_AS(gpc_map_from_clusters(4, {{0, 4}}), std::invalid_argument);
  CHECK_THROWS_AS(gpc_map_from_clusters(4, {{-1, 0}}), std::invalid_argument);
}

TEST_CASE("gpc_map_from_clusters: a whole H100-like layout from clusters of 2") {
  // 132 SMs in GPCs of 18 x 6 and 12 x 2 (ids consecutive), each GPC observed as a chain of pairs.
  std::vector<int> sizes = {18, 18, 18, 18, 18, 18, 12, 12};
  std::vector<std::vector<int>> clusters;
  int first = 0;
  for (int g : sizes) {
    for (int s = first; s + 1 < first + g; ++s) clusters.push_back({s + 1, s});
    first += g;
  }
  const GpcMap m = gpc_map_from_clusters(132, clusters);
  CHECK(m.gpc_sms == sizes);
  CHECK(m.covered_sms == 132);
  CHECK(m.lone_sms == 0);
}

TEST_CASE("gpc_rule_clusters: each GPC packs floor(SMs x CTAs an SM / cluster) clusters") {
  const std::vector<int> g = {18, 18, 16, 10};
  CHECK(gpc_rule_clusters(g, 1, 2) == 9 + 9 + 8 + 5);
  CHECK(gpc_rule_clusters(g, 1, 4) == 4 + 4 + 4 + 2);
  CHECK(gpc_rule_clusters(g, 1, 8) == 2 + 2 + 2 + 1);
  CHECK(gpc_rule_clusters(g, 1, 16) == 1 + 1 + 1 + 0);
  CHECK(gpc_rule_clusters(g, 2, 16) == 2 + 2 + 2 + 1);
  CHECK(gpc_rule_clusters(g, 2, 8) == 4 + 4 + 4 + 2);
  // Per GPC, not pooled: two GPCs of 9 SMs hold one cluster of 6 each, 18 pooled SMs would hold 3.
  CHECK(gpc_rule_clusters({9, 9}, 1, 6) == 2);
  CHECK(gpc_rule_clusters({}, 1, 2) == 0);
}
