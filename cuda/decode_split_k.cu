// Split-K decode (FlashDecoding): the key tiles of each (b, hkv) are cut into `splits` contiguous
// ranges of equal size (within one tile); each CTA writes its range's partial (max, sum,
// unnormalised output) in fp32, and a second kernel rescales the partials by exp(m_s - m) and sums.
#include "attention_epilogue.cuh"
#include "attention_kernels.h"

namespace einsim::gpu {

template <class T, int D, int KC, int MT>
__global__ void split_k_kernel(AttentionParams p) {
  extern __shared__ __align__(16) char smem[];
  const AttentionLayout& L = p.layout;
  const int64_t unit = blockIdx.x / p.splits, split = blockIdx.x % p.splits;
  const int64_t t_begin = split * p.n_tiles / p.splits;
  const int64_t t_end = (split + 1) * p.n_tiles / p.splits;
  const int rows = int(p.rows_per_unit);  // decode: one row block per unit
  const T* q = static_cast<const T*>(p.q) + unit * p.rows_per_unit * D;
  const T* k = static_cast<const T*>(p.k) + unit * p.M * D;
  const T* v = static_cast<const T*>(p.v) + unit * p.M * D;
  PhaseStamp* stamps = phase_stamp_base(p.stamps, blockIdx.x, 0);
  phase_stamp(stamps, kStampEntry);
  attend_range<T, D, D, KC, MT>(L, q, rows, k, v, p.M, t_begin, t_end, p.scale_log2, smem,
                                stamps);
  store_partial<D>(L, state_smem(L, smem + L.q_bytes()), p.part_ml, p.part_acc, blockIdx.x, rows);
  phase_stamp(stamps, kStampHandoff);
}

template <class T, int D>
__global__ void split_k_combine_kernel(AttentionParams p) {
  extern __shared__ __align__(16) char smem[];
  AttentionLayout L = p.layout;
  L.warps_n = 1;  // the combine state has a single slice
  const StateSmem st = state_smem(L, smem);
  const int64_t unit = blockIdx.x;
  const int rows = int(p.rows_per_unit);
  for (int row = threadIdx.x; row < rows; row += blockDim.x) {
    st.m[row] = -INFINITY;
    st.l[row] = 0.f;
  }
  for (int i = threadIdx.x; i < rows * D; i += blockDim.x)
    st.acc[int64_t(i / D) * st.row_floats + i % D] = 0.f;
  __syncthreads();
  fold_partials_any<D>(p.fold_mode, L, st, p.part_ml, p.part_acc, unit * p.splits, p.splits, rows);
  store_output<T, D>(L, st, static_cast<T*>(p.o) + unit * p.rows_per_unit * D, rows);
}

struct SplitKFamily {
  static constexpr bool kTwoRowTiles = false;
  template <class T, int D, int KC, int MT>
  static AttentionKernel get() { return split_k_kernel<T, D, KC, MT>; }
};

AttentionKernel split_k_kernel_for(DType dtype, int head_dim, int kc, int m_tiles) {
  return select_kernel<SplitKFamily>(dtype, head_dim, kc, m_tiles);
}

template <class T>
static AttentionKernel combine_for(int head_dim) {
  switch (head_dim) {
    case 64: return split_k_combine_kernel<T, 64>;
    case 128: return split_k_combine_kernel<T, 128>;
    case 256: return split_k_combine_kernel<T, 256>;
    default: return nullptr;
  }
}

AttentionKernel split_k_combine_kernel_for(DType dtype, int head_dim) {
  return dtype == DType::fp16 ? combine_for<__half>(head_dim) : combine_for<__nv_bfloat16>(head_dim);
}

}  // namespace einsim::gpu
