#include "reference.h"

#include <cmath>
#include <limits>

namespace einsim::gpu {

std::vector<double> reference_attention_row(const double* q, const double* k, const double* v,
                                            int64_t M, int64_t E, int64_t F) {
  const double scale = 1.0 / std::sqrt(double(E));
  std::vector<double> s(M);
  double max_s = -std::numeric_limits<double>::infinity();
  for (int64_t m = 0; m < M; ++m) {
    double dot = 0;
    for (int64_t e = 0; e < E; ++e) dot += q[e] * k[m * E + e];
    s[m] = dot * scale;
    max_s = std::max(max_s, s[m]);
  }
  double sum = 0;
  for (int64_t m = 0; m < M; ++m) {
    s[m] = std::exp(s[m] - max_s);
    sum += s[m];
  }
  std::vector<double> o(F, 0.0);
  for (int64_t m = 0; m < M; ++m)
    for (int64_t f = 0; f < F; ++f) o[f] += s[m] * v[m * F + f];
  for (auto& x : o) x /= sum;
  return o;
}

}  // namespace einsim::gpu
