#include "error_check.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace einsim::gpu {

static uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::vector<RowIndex> sample_rows(int64_t B, int64_t H, int64_t P, int64_t count, uint64_t seed) {
  std::vector<RowIndex> rows;
  const int64_t total = B * H * P;
  if (total <= count) {
    for (int64_t b = 0; b < B; ++b)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t p = 0; p < P; ++p) rows.push_back({b, h, p});
    return rows;
  }
  auto add = [&](RowIndex r) {
    if (std::find(rows.begin(), rows.end(), r) == rows.end()) rows.push_back(r);
  };
  add({0, 0, 0});
  add({B - 1, H - 1, P - 1});
  add({0, H - 1, P - 1});
  add({B - 1, 0, 0});
  uint64_t state = seed;
  while (int64_t(rows.size()) < count) {
    const int64_t flat = int64_t(splitmix64(state) % uint64_t(total));
    add({flat / (H * P), (flat / P) % H, flat % P});
  }
  return rows;
}

double relative_error(const double* out, const double* ref, int64_t n) {
  double max_diff = 0, max_ref = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (!std::isfinite(out[i])) return std::numeric_limits<double>::infinity();
    max_diff = std::max(max_diff, std::fabs(out[i] - ref[i]));
    max_ref = std::max(max_ref, std::fabs(ref[i]));
  }
  return max_ref > 0 ? max_diff / max_ref : max_diff;
}

double error_bound(DType dtype) { return dtype == DType::fp16 ? 2e-3 : 1.6e-2; }

}  // namespace einsim::gpu
