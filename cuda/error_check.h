// How a GPU result is judged against the float64 reference: which (b, h, p) rows are sampled,
// the per-row relative error max|o - ref| / max|ref|, and the bound for each dtype.
#pragma once

#include <cstdint>
#include <vector>

#include "job.h"

namespace einsim::gpu {

struct RowIndex {
  int64_t b = 0, h = 0, p = 0;
  bool operator==(const RowIndex& o) const { return b == o.b && h == o.h && p == o.p; }
};

// All rows when B*H*P <= count; otherwise `count` distinct rows that always include the first
// row, the last row (B-1, H-1, P-1), the last head of batch 0 and the first head of the last
// batch, the rest drawn with `seed`.
std::vector<RowIndex> sample_rows(int64_t B, int64_t H, int64_t P, int64_t count, uint64_t seed);

// max|out - ref| / max|ref| over one row; a NaN or infinity in out gives +infinity; a zero
// reference row gives the absolute error.
double relative_error(const double* out, const double* ref, int64_t n);

// fp16: 2e-3, bf16: 1.6e-2.
double error_bound(DType dtype);

}  // namespace einsim::gpu
