// The GPCs of a GPU as `einsim-gpu bench --only clusters` finds them (cluster_bench.cu): a
// thread-block cluster never spans two GPCs, so SMs whose CTAs ever shared a cluster are in one GPC,
// and the GPCs are the connected components of "shared a cluster". Also the clusters a per-GPC
// packing rule predicts fit at once, to set beside cudaOccupancyMaxActiveClusters. Plain C++,
// tested on the CPU (tests/cuda/gpc_map_test.cpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace einsim::gpu {

struct GpcMap {
  std::vector<int> gpc_sms;  // SMs of each GPC found, largest first
  int covered_sms = 0;       // SMs that ran any CTA of the observed clusters
  int lone_sms = 0;          // of those, SMs never in a cluster beside another SM (each its own GPC)
};

// `clusters`: for each observed cluster, the SM id of each of its CTAs (ids in [0, sm_count)).
inline GpcMap gpc_map_from_clusters(int sm_count, const std::vector<std::vector<int>>& clusters) {
  std::vector<int> parent(static_cast<size_t>(std::max(sm_count, 0)));
  std::iota(parent.begin(), parent.end(), 0);
  auto root = [&](int x) {  // path halving
    while (parent[size_t(x)] != x) x = parent[size_t(x)] = parent[size_t(parent[size_t(x)])];
    return x;
  };
  std::vector<bool> seen(parent.size(), false), paired(parent.size(), false);
  for (const auto& cluster : clusters) {
    for (int sm : cluster) {
      if (sm < 0 || sm >= sm_count)
        throw std::invalid_argument("SM id " + std::to_string(sm) + " outside 0.." +
                                    std::to_string(sm_count - 1));
      seen[size_t(sm)] = true;
      if (sm != cluster.front()) {
        paired[size_t(sm)] = paired[size_t(cluster.front())] = true;
        parent[size_t(root(sm))] = root(cluster.front());
      }
    }
  }
  GpcMap m;
  std::vector<int> size(parent.size(), 0);
  for (int sm = 0; sm < sm_count; ++sm)
    if (seen[size_t(sm)]) {
      ++m.covered_sms;
      m.lone_sms += paired[size_t(sm)] ? 0 : 1;
      ++size[size_t(root(sm))];
    }
  for (int s : size)
    if (s > 0) m.gpc_sms.push_back(s);
  std::sort(m.gpc_sms.begin(), m.gpc_sms.end(), std::greater<int>());
  return m;
}

// Clusters of `cluster_ctas` CTAs that fit at once if each GPC packs its own: a GPC of g SMs,
// `ctas_per_sm` CTAs each, holds floor(g * ctas_per_sm / cluster_ctas) of them.
inline int64_t gpc_rule_clusters(const std::vector<int>& gpc_sms, int ctas_per_sm, int cluster_ctas) {
  int64_t n = 0;
  for (int g : gpc_sms) n += int64_t(g) * ctas_per_sm / cluster_ctas;
  return n;
}

// "18 18 16": the SMs of each GPC, as gpc_sms lists them.
inline std::string format_gpc_sms(const std::vector<int>& gpc_sms) {
  std::string s;
  for (int g : gpc_sms) s += (s.empty() ? "" : " ") + std::to_string(g);
  return s;
}

}  // namespace einsim::gpu
