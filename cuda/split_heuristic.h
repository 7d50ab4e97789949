// How many splits split-K decode uses when the job says splits = 0: the rule of FlashAttention-2
// (written here from its description): with fewer work units than ~0.8 waves, try 1..max splits,
// score each by wave efficiency (work / ceil(work)) and take the smallest split count within 85%
// of the best; split counts that give the same tiles per split as one fewer are skipped.
#pragma once

#include "hd.h"

namespace einsim::gpu {

// units: CTAs without splitting (B * Hkv * row blocks); slots: CTAs that run at once
// (FlashAttention-2 passes 2 * SMs); n_tiles: key tiles per unit; max_splits: upper bound.
EINSIM_HD int fa2_num_splits(int units, int slots, int n_tiles, int max_splits) {
  if (units <= 0 || slots <= 0 || n_tiles <= 0) return 1;
  if (10 * units >= 8 * slots) return 1;  // units >= 0.8 * slots: almost a full wave already
  int cap = max_splits;
  if (slots < cap) cap = slots;
  if (n_tiles < cap) cap = n_tiles;
  auto ceil_div = [](int a, int b) { return (a + b - 1) / b; };
  auto eligible = [&](int s) { return s == 1 || ceil_div(n_tiles, s) != ceil_div(n_tiles, s - 1); };
  auto efficiency = [&](int s) {
    const float waves = float(units) * float(s) / float(slots);
    const int whole = ceil_div(units * s, slots);
    return waves / float(whole);
  };
  float best = 0.f;
  for (int s = 1; s <= cap; ++s)
    if (eligible(s) && efficiency(s) > best) best = efficiency(s);
  for (int s = 1; s <= cap; ++s)
    if (eligible(s) && efficiency(s) >= 0.85f * best) return s;
  return 1;
}

}  // namespace einsim::gpu
