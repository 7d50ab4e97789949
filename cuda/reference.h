// The float64 CPU reference for one query row of attention, used to check the GPU kernels:
//   o[f] = sum_m softmax_m(scale * q . k_m) v_m[f],   scale = 1 / sqrt(E)
// (non-causal: every query row attends to all M keys).
#pragma once

#include <cstdint>
#include <vector>

namespace einsim::gpu {

// q: E values; k: M rows of E; v: M rows of F (row-major). Returns F values.
std::vector<double> reference_attention_row(const double* q, const double* k, const double* v,
                                            int64_t M, int64_t E, int64_t F);

}  // namespace einsim::gpu
