// Stream-K decode whose units are each held by one thread-block cluster: when the grid gives
// every unit C equal ranges (2 <= C <= 16; above 8, Hopper's non-portable sizes), the C CTAs of a unit are
// launched as one cluster, so they are resident together on one GPC. Each CTA runs its range
// (attend_range: its state ends in its shared memory), the cluster meets at a barrier, and then
// CTA r folds float4 columns [r, r + C, r + 2C, ...) of every row straight from the C CTAs' shared
// memory (distributed shared memory) and stores those output columns. No partial goes through
// global memory, no flag is raised or polled, and the fold is spread over the C CTAs; a second
// cluster barrier keeps each CTA's shared memory alive until the others have read it.
#include <cooperative_groups.h>

#include "attention_epilogue.cuh"
#include "attention_kernels.h"

namespace einsim::gpu {

namespace cg = cooperative_groups;

template <class T, int D, int KC, int MT>
__global__ void stream_k_cluster_kernel(AttentionParams p) {
  extern __shared__ __align__(16) char smem[];
  const AttentionLayout& L = p.layout;
  const StateSmem st = state_smem(L, smem + L.q_bytes());
  cg::cluster_group cluster = cg::this_cluster();
  const int ranks = int(cluster.num_blocks());
  const int rank = int(cluster.block_rank());
  const int64_t cta = blockIdx.x;
  const int rows = int(p.rows_per_unit);
  // The grid's ranges lie within units and a unit's C CTAs are one cluster (attention_launch.cu).
  const StreamKSegment seg = sk_segment(p.sk, cta, sk_first_unit(p.sk, cta));
  const int64_t unit = seg.unit;
  PhaseStamp* stamps = phase_stamp_base(p.stamps, cta, 0);
  phase_stamp(stamps, kStampEntry);
  const T* q = static_cast<const T*>(p.q) + unit * p.rows_per_unit * D;
  const T* k = static_cast<const T*>(p.k) + unit * p.M * D;
  const T* v = static_cast<const T*>(p.v) + unit * p.M * D;
  attend_range<T, D, D, KC, MT>(L, q, rows, k, v, p.M, seg.tile_begin, seg.tile_end, p.scale_log2, smem,
                                stamps);
  cluster.sync();  // every CTA's (m, l, acc) is in its shared memory (release / acquire)
  phase_stamp(stamps, kStampHandoff);

  constexpr int kVec = D / 4;  // float4s of an output row
  T* o = static_cast<T*>(p.o) + unit * p.rows_per_unit * D;
  for (int i = threadIdx.x; i < rows * kVec; i += blockDim.x) {
    const int row = i / kVec, c = i % kVec;
    if (c % ranks != rank) continue;
    float mx = -INFINITY;
    for (int r = 0; r < ranks; ++r) mx = fmaxf(mx, cluster.map_shared_rank(st.m, r)[row]);
    const float base = exp_base(mx);
    float l = 0.f;
    float4 a = make_float4(0.f, 0.f, 0.f, 0.f);
    for (int r = 0; r < ranks; ++r) {
      const float w = exp2f(cluster.map_shared_rank(st.m, r)[row] - base);
      l += w * cluster.map_shared_rank(st.l, r)[row];
      const float4 x = *cluster.map_shared_rank(&st.acc4(row, c), r);
      a.x += w * x.x, a.y += w * x.y, a.z += w * x.z, a.w += w * x.w;
    }
    const float inv = 1.f / l;
    uint2 packed;
    packed.x = MmaOps<T>::pack(a.x * inv, a.y * inv);
    packed.y = MmaOps<T>::pack(a.z * inv, a.w * inv);
    *reinterpret_cast<uint2*>(o + int64_t(row) * D + 4 * c) = packed;
  }
  phase_stamp(stamps, kStampFolded);
  cluster.sync();  // no CTA leaves while another still reads its shared memory
  phase_stamp(stamps, kStampStored);
}

struct StreamKClusterFamily {
  static constexpr bool kTwoRowTiles = false;
  template <class T, int D, int KC, int MT>
  static AttentionKernel get() {
    if constexpr (D <= 128) return stream_k_cluster_kernel<T, D, KC, MT>;
    return nullptr;  // not instantiated at E = 256 (compile time; no short-context suite there)
  }
};

AttentionKernel stream_k_cluster_kernel_for(DType dtype, int head_dim, int kc, int m_tiles) {
  return select_kernel<StreamKClusterFamily>(dtype, head_dim, kc, m_tiles);
}

}  // namespace einsim::gpu
