// One CTA per block of query rows walks every key tile: FlashAttention-2's data-parallel split.
// Serves both data-parallel decode (a block = the G*P packed rows of one (b, hkv)) and prefill
// (a block = tile_m consecutive rows of the unit's G*P rows; non-causal).
#include "attention_epilogue.cuh"
#include "attention_kernels.h"

namespace einsim::gpu {

template <class T, int D, int KC, int MT>
__global__ void full_range_kernel(AttentionParams p) {
  extern __shared__ __align__(16) char smem[];
  const AttentionLayout& L = p.layout;
  const int64_t unit = blockIdx.x / p.blocks_per_unit;
  const int64_t row0 = (blockIdx.x % p.blocks_per_unit) * L.rows_cta;
  const int rows = int(p.rows_per_unit - row0 < L.rows_cta ? p.rows_per_unit - row0 : L.rows_cta);
  const int64_t first_row = unit * p.rows_per_unit + row0;
  const T* q = static_cast<const T*>(p.q) + first_row * D;
  const T* k = static_cast<const T*>(p.k) + unit * p.M * D;
  const T* v = static_cast<const T*>(p.v) + unit * p.M * D;
  PhaseStamp* stamps = phase_stamp_base(p.stamps, blockIdx.x, 0);
  phase_stamp(stamps, kStampEntry);
  attend_range<T, D, D, KC, MT>(L, q, rows, k, v, p.M, 0, p.n_tiles, p.scale_log2, smem, stamps);
  store_output<T, D>(L, state_smem(L, smem + L.q_bytes()), static_cast<T*>(p.o) + first_row * D,
                     rows);
  phase_stamp(stamps, kStampStored);
}

struct FullRangeFamily {
  static constexpr bool kTwoRowTiles = true;
  template <class T, int D, int KC, int MT>
  static AttentionKernel get() { return full_range_kernel<T, D, KC, MT>; }
};

AttentionKernel full_range_kernel_for(DType dtype, int head_dim, int kc, int m_tiles) {
  return select_kernel<FullRangeFamily>(dtype, head_dim, kc, m_tiles);
}

}  // namespace einsim::gpu
