// Stream-K decode whose units are each held by one thread-block cluster: when the grid gives
// every unit C equal ranges (2 <= C <= 16; above 8, Hopper's non-portable sizes), the C CTAs of a
// unit are launched as one cluster, so they are resident together on one GPC. Each CTA runs its
// range (attend_range: its state ends in its shared memory) and pushes each slice of D / C output
// columns of its state into the shared memory of the CTA that owns the slice (distributed shared
// memory); after one cluster barrier each CTA folds its slice from its own shared memory and stores
// those output columns. No partial goes through global memory, no flag is raised or polled, and the
// fold is spread over the C CTAs.
#include <cooperative_groups.h>

#include "attention_epilogue.cuh"
#include "attention_kernels.h"
#include "stream_k_cluster.h"

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
  // Distributed shared memory may be written only once every CTA of the cluster has started:
  // arrive now, wait just before the first push (by then the others have long arrived).
  auto started = cluster.barrier_arrive();
  const T* q = static_cast<const T*>(p.q) + unit * p.rows_per_unit * D;
  const T* k = static_cast<const T*>(p.k) + unit * p.M * D;
  const T* v = static_cast<const T*>(p.v) + unit * p.M * D;
  attend_range<T, D, D, KC, MT>(L, q, rows, k, v, p.M, seg.tile_begin, seg.tile_end, p.scale_log2, smem,
                                stamps);
  // Push: CTA `rank` owns output columns [rank * cols, (rank + 1) * cols) and receives, in slot r
  // of its receive buffer (past the layout's shared memory), CTA r's acc of those columns and its
  // (m, l) for every row. Pushing rather than pulling needs one cluster barrier, not two: after it
  // no CTA touches another's shared memory. The buffer lies outside the K/V stages, so a CTA still
  // streaming its tiles can be written to.
  const ClusterReceive layout = cluster_receive(L.rows_cta, D, ranks);  // stream_k_cluster.h
  const int cols = layout.cols, row_floats = layout.row_floats, slot_floats = layout.slot_floats;
  float* recv = reinterpret_cast<float*>(smem + L.smem_bytes());
  const int per_row = cols / 4 + 1;  // float4s of acc, then the (m, l) pair
  cluster.barrier_wait(std::move(started));
  for (int i = threadIdx.x; i < ranks * rows * per_row; i += blockDim.x) {
    const int q = i / (rows * per_row), row = (i / per_row) % rows, j = i % per_row;
    float* dst = cluster.map_shared_rank(recv, q) + rank * slot_floats + row * row_floats;
    if (j < cols / 4)
      reinterpret_cast<float4*>(dst)[j] = st.acc4(row, q * (cols / 4) + j);
    else
      *reinterpret_cast<float2*>(dst + cols) = make_float2(st.m[row], st.l[row]);
  }
  cluster.sync();  // every push has landed (release / acquire across the cluster)
  phase_stamp(stamps, kStampHandoff);

  T* o = static_cast<T*>(p.o) + unit * p.rows_per_unit * D + rank * cols;
  for (int i = threadIdx.x; i < rows * (cols / 4); i += blockDim.x) {
    const int row = i / (cols / 4), j = i % (cols / 4);
    const float* at = recv + row * row_floats;
    float mx = -INFINITY;
    for (int r = 0; r < ranks; ++r) mx = fmaxf(mx, at[r * slot_floats + cols]);
    const float base = exp_base(mx);
    float sum = 0.f;
    float4 a = make_float4(0.f, 0.f, 0.f, 0.f);
    for (int r = 0; r < ranks; ++r) {
      const float* x = at + r * slot_floats;
      const float w = exp2f(x[cols] - base);
      sum += w * x[cols + 1];
      const float4 v4 = reinterpret_cast<const float4*>(x)[j];
      a.x += w * v4.x, a.y += w * v4.y, a.z += w * v4.z, a.w += w * v4.w;
    }
    const float inv = 1.f / sum;
    uint2 packed;
    packed.x = MmaOps<T>::pack(a.x * inv, a.y * inv);
    packed.y = MmaOps<T>::pack(a.z * inv, a.w * inv);
    *reinterpret_cast<uint2*>(o + int64_t(row) * D + 4 * j) = packed;
  }
  phase_stamp(stamps, kStampFolded);
  phase_stamp(stamps, kStampStored);
}

struct StreamKClusterFamily {
  static constexpr bool kTwoRowTiles = false;
  template <class T, int D, int KC, int MT>
  static AttentionKernel get() {
    // Instantiated where the short-context mappings are (E <= 128, key chunks of 16 and 32: 128-key
    // tiles over 8 or 4 warps); the rest would only add to every build's compile time.
    if constexpr (D <= 128 && KC <= 32) return stream_k_cluster_kernel<T, D, KC, MT>;
    return nullptr;
  }
};

AttentionKernel stream_k_cluster_kernel_for(DType dtype, int head_dim, int kc, int m_tiles) {
  return select_kernel<StreamKClusterFamily>(dtype, head_dim, kc, m_tiles);
}

}  // namespace einsim::gpu
