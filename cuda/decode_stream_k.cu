// Stream-K decode (LeanAttention): a persistent grid; CTA c owns the flattened tiles
// [begin(c), end(c)) of the (unit, key tile) space (stream_k_ranges.h), which may start and end
// inside a unit. A CTA that does not finish a unit writes a partial into slot c and raises
// flag c; the unit's host CTA (owner of its last tile) waits for those flags, folds the partials
// into its own state and writes the output.
//
// Deadlock freedom: a host waits only on lower-numbered CTAs, all CTAs are resident at once
// (cooperative launch, grid <= occupancy * SMs), and each CTA does the segment it only
// contributes to FIRST (units in reverse order), so contributors raise their flags early and
// hosts rarely wait. Flags hold the launch's epoch, so they need no reset between launches.
#include "attention_epilogue.cuh"
#include "attention_kernels.h"

namespace einsim::gpu {

__device__ __forceinline__ void store_release(unsigned* p, unsigned v) {
  asm volatile("st.release.gpu.global.u32 [%0], %1;\n" ::"l"(p), "r"(v) : "memory");
}
__device__ __forceinline__ unsigned load_acquire(const unsigned* p) {
  unsigned v;
  asm volatile("ld.acquire.gpu.global.u32 %0, [%1];\n" : "=r"(v) : "l"(p) : "memory");
  return v;
}

constexpr long long kStreamKWaitLimitCycles = 20'000'000'000LL;  // ~10 s at 2 GHz

template <class T, int D, int KC, int MT>
__global__ void stream_k_kernel(AttentionParams p) {
  extern __shared__ __align__(16) char smem[];
  const AttentionLayout& L = p.layout;
  const StateSmem st = state_smem(L, smem + L.q_bytes());
  const int64_t cta = blockIdx.x;
  const int rows = int(p.rows_per_unit);  // decode: one row block per unit
  const int64_t first_unit = sk_first_unit(p.sk, cta);
  const int64_t last_unit = sk_last_unit(p.sk, cta);
  phase_stamp(phase_stamp_base(p.stamps, cta, 0), kStampEntry);
  for (int64_t unit = last_unit; unit >= first_unit; --unit) {
    PhaseStamp* stamps = phase_stamp_base(p.stamps, cta, int(last_unit - unit));
    const StreamKSegment seg = sk_segment(p.sk, cta, unit);
    const T* q = static_cast<const T*>(p.q) + unit * p.rows_per_unit * D;
    const T* k = static_cast<const T*>(p.k) + unit * p.M * D;
    const T* v = static_cast<const T*>(p.v) + unit * p.M * D;
    attend_range<T, D, D, KC, MT>(L, q, rows, k, v, p.M, seg.tile_begin, seg.tile_end, p.scale_log2,
                                  smem, stamps);
    if (!seg.is_host) {
      store_partial<D>(L, st, p.part_ml, p.part_acc, cta, rows);
      // The flag's st.release after the barrier orders the CTA's stores before it (cumulative).
      __syncthreads();
      if (threadIdx.x == 0) store_release(p.flags + cta, p.epoch);
      phase_stamp(stamps, kStampHandoff);
    } else {
      const int64_t contributors = cta - seg.first_contributor;
      if (contributors > 0) {
        for (int64_t i = threadIdx.x; i < contributors; i += blockDim.x) {
          const long long start = clock64();
          while (load_acquire(p.flags + seg.first_contributor + i) != p.epoch) {
            __nanosleep(64);
            // A contributor that never arrives is a bug (or CTAs not co-resident): fail the
            // launch with an error instead of hanging the GPU.
            if (clock64() - start > kStreamKWaitLimitCycles) __trap();
          }
        }
        __syncthreads();  // the acquire loads order the partials' reads after them
        phase_stamp(stamps, kStampHandoff);
        fold_partials_any<D>(p.fold_mode, L, st, p.part_ml, p.part_acc, seg.first_contributor, contributors, rows);
        phase_stamp(stamps, kStampFolded);
      }
      store_output<T, D>(L, st, static_cast<T*>(p.o) + unit * p.rows_per_unit * D, rows);
      phase_stamp(stamps, kStampStored);
    }
    __syncthreads();  // the next segment reuses shared memory
  }
}

struct StreamKFamily {
  static constexpr bool kTwoRowTiles = false;
  template <class T, int D, int KC, int MT>
  static AttentionKernel get() { return stream_k_kernel<T, D, KC, MT>; }
};

AttentionKernel stream_k_kernel_for(DType dtype, int head_dim, int kc, int m_tiles) {
  return select_kernel<StreamKFamily>(dtype, head_dim, kc, m_tiles);
}

}  // namespace einsim::gpu
