// The epilogues of the attention CTA engine (attention_engine.cuh): turn a CTA's fp32 softmax
// state into output rows or into a partial for another CTA, and fold other CTAs' partials into it
// with the online-softmax rescale.
#pragma once

#include "attention_engine.cuh"
#include "attention_params.h"

namespace einsim::gpu {

// o[r][f] = acc / l for the first `rows` rows, 16 bytes a store.
template <class T, int F>
__device__ void store_output(const AttentionLayout& L, const StateSmem& st, T* o, int rows) {
  using Ops = MmaOps<T>;
  constexpr int kVec = F / 8;
  for (int i = threadIdx.x; i < rows * kVec; i += blockDim.x) {
    const int row = i / kVec, f = (i % kVec) * 8;
    const float inv = 1.f / st.l[row];
    const float* a = st.acc + int64_t(row) * st.row_floats + f;
    uint4 packed;
    packed.x = Ops::pack(a[0] * inv, a[1] * inv);
    packed.y = Ops::pack(a[2] * inv, a[3] * inv);
    packed.z = Ops::pack(a[4] * inv, a[5] * inv);
    packed.w = Ops::pack(a[6] * inv, a[7] * inv);
    *reinterpret_cast<uint4*>(o + int64_t(row) * F + f) = packed;
  }
  (void)L;
}

// Writes the state of the first `rows` rows as partial `index` (fp32, unnormalised).
template <int F>
__device__ void store_partial(const AttentionLayout& L, const StateSmem& st, float2* part_ml,
                              float* part_acc, int64_t index, int rows) {
  float2* ml = part_ml + index * L.rows_cta;
  float* acc = part_acc + index * L.rows_cta * F;
  for (int row = threadIdx.x; row < rows; row += blockDim.x)
    ml[row] = make_float2(st.m[row], st.l[row]);
  constexpr int kVec = F / 4;
  for (int i = threadIdx.x; i < rows * kVec; i += blockDim.x)
    reinterpret_cast<float4*>(acc)[i] = st.acc4(i / kVec, i % kVec);
}

// Folds partials [first, first + count) into the state, kFoldChunk at a time, with the same
// rescaling as online softmax: everything is brought to the new running max before summing.
// Partials are read through L2 (ld.cg): other CTAs of the same launch wrote them.
template <int F>
__device__ void fold_partials(const AttentionLayout& L, const StateSmem& st, const float2* part_ml,
                              const float* part_acc, int64_t first, int64_t count, int rows) {
  for (int64_t c0 = 0; c0 < count; c0 += kFoldChunk) {
    const int n = int(count - c0 < kFoldChunk ? count - c0 : kFoldChunk);
    const float2* ml = part_ml + (first + c0) * L.rows_cta;
    const float* acc = part_acc + (first + c0) * L.rows_cta * F;
    for (int row = threadIdx.x; row < rows; row += blockDim.x) {
      float mx = st.m[row];
      for (int j = 0; j < n; ++j) mx = fmaxf(mx, __ldcg(&ml[j * L.rows_cta + row]).x);
      const float base = exp_base(mx);
      const float keep = exp2f(st.m[row] - base);
      float l = st.l[row] * keep;
      for (int j = 0; j < n; ++j) {
        const float2 p = __ldcg(&ml[j * L.rows_cta + row]);
        const float w = exp2f(p.x - base);
        st.fold_w[j * L.rows_cta + row] = w;
        l += p.y * w;
      }
      st.m[row] = mx;
      st.l[row] = l;
      st.fold_scale[row] = keep;
    }
    __syncthreads();
    for (int i = threadIdx.x; i < rows * F / 4; i += blockDim.x) {
      const int row = i / (F / 4);
      float4& dst = st.acc4(row, i % (F / 4));
      float4 a = dst;
      const float keep = st.fold_scale[row];
      a.x *= keep, a.y *= keep, a.z *= keep, a.w *= keep;
      for (int j = 0; j < n; ++j) {
        const float w = st.fold_w[j * L.rows_cta + row];
        const float4 p =
            __ldcg(reinterpret_cast<const float4*>(acc + int64_t(j) * L.rows_cta * F) + i);
        a.x += w * p.x, a.y += w * p.y, a.z += w * p.z, a.w += w * p.w;
      }
      dst = a;
    }
    __syncthreads();
  }
}

// The same fold with one round trip to L2 a chunk: each thread loads its float4 of every
// partial of the chunk and those partials' (max, sum) of its row, all before using any, and
// computes the row's weights itself. The serial fold above walks the partials one load after
// another per thread, with a barrier between the weights and the sums.
template <int F>
__device__ void fold_partials_parallel(const AttentionLayout& L, const StateSmem& st,
                                       const float2* part_ml, const float* part_acc,
                                       int64_t first, int64_t count, int rows) {
  constexpr int kVec = F / 4;
  for (int64_t c0 = 0; c0 < count; c0 += kFoldChunk) {
    const int n = int(count - c0 < kFoldChunk ? count - c0 : kFoldChunk);
    const float2* ml = part_ml + (first + c0) * L.rows_cta;
    const float4* acc = reinterpret_cast<const float4*>(part_acc + (first + c0) * L.rows_cta * F);
    for (int i = threadIdx.x; i < rows * kVec; i += blockDim.x) {
      const int row = i / kVec;
      float2 q[kFoldChunk];
      float4 p[kFoldChunk];
#pragma unroll
      for (int j = 0; j < kFoldChunk; ++j)
        if (j < n) {
          q[j] = __ldcg(&ml[j * L.rows_cta + row]);
          p[j] = __ldcg(acc + int64_t(j) * L.rows_cta * kVec + i);
        }
      const float m_old = st.m[row];
      float mx = m_old;
#pragma unroll
      for (int j = 0; j < kFoldChunk; ++j)
        if (j < n) mx = fmaxf(mx, q[j].x);
      const float base = exp_base(mx);
      const float keep = exp2f(m_old - base);
      float4& dst = st.acc4(row, i % kVec);
      float4 a = dst;
      a.x *= keep, a.y *= keep, a.z *= keep, a.w *= keep;
      float l = st.l[row] * keep;
#pragma unroll
      for (int j = 0; j < kFoldChunk; ++j)
        if (j < n) {
          const float w = exp2f(q[j].x - base);
          a.x += w * p[j].x, a.y += w * p[j].y, a.z += w * p[j].z, a.w += w * p[j].w;
          l += w * q[j].y;
        }
      dst = a;
      if (i % kVec == 0) st.fold_w[row] = mx, st.fold_l[row] = l;  // the row's new state
    }
    __syncthreads();  // every thread of a row has read its old (m, l)
    for (int row = threadIdx.x; row < rows; row += blockDim.x) {
      st.m[row] = st.fold_w[row];
      st.l[row] = st.fold_l[row];
    }
    __syncthreads();
  }
}

// The same fold in two steps a chunk: a half-warp a row, lane j loading partial j's (max, sum)
// of the row, reduces the new max and sum with shuffles and leaves each partial's weight and the
// rescale of the old state in shared memory; then each thread loads its float4 of all
// kFoldChunk partials at once (past the last partial it reloads that one, with weight 0, so that
// no load is conditional) and sums them. Two round trips to L2 a chunk whatever the number of
// rows. The parallel fold above measured ~6,000 SM cycles a chunk of 16 partials of 8 rows on an
// H200 (stamps: cuda/NOTES.md), several times its two round trips; a thread a row walking the
// partials' pairs in shared memory cost ~1,000 more.
template <int F>
__device__ void fold_partials_batched(const AttentionLayout& L, const StateSmem& st,
                                      const float2* part_ml, const float* part_acc, int64_t first,
                                      int64_t count, int rows) {
  static_assert(kFoldChunk == 16, "a half-warp a row, a lane a partial");
  constexpr int kVec = F / 4;
  const int rc = L.rows_cta;
  const int lane = int(threadIdx.x) % 32, warp = int(threadIdx.x) / 32;
  const int warps = int(blockDim.x) / 32;
  for (int64_t c0 = 0; c0 < count; c0 += kFoldChunk) {
    const int n = int(count - c0 < kFoldChunk ? count - c0 : kFoldChunk);
    const float2* ml = part_ml + (first + c0) * rc;
    const float4* acc = reinterpret_cast<const float4*>(part_acc + (first + c0) * rc * F);
    const int j = lane % 16;
    for (int row0 = 2 * warp; row0 < rows; row0 += 2 * warps) {  // uniform in a warp
      const int row = row0 + lane / 16;
      const bool live = row < rows;
      const float2 q = live && j < n ? __ldcg(&ml[j * rc + row]) : make_float2(-INFINITY, 0.f);
      // Lane 0 of the half reads the row's old state and writes its new one; the others only
      // join the reductions (a read by lane j racing lane 0's write, racecheck).
      const float m_old = live && j == 0 ? st.m[row] : -INFINITY;
      const float mx = half_warp_max(fmaxf(m_old, q.x));
      const float base = exp_base(mx);
      const float w = exp2f(q.x - base);  // 0 past the last partial
      const float l = half_warp_sum(w * q.y);
      if (live) {
        st.fold_w[j * rc + row] = w;
        if (j == 0) {
          const float keep = exp2f(m_old - base);
          st.fold_scale[row] = keep;
          st.m[row] = mx;
          st.l[row] = st.l[row] * keep + l;
        }
      }
    }
    __syncthreads();
    for (int i = threadIdx.x; i < rows * kVec; i += blockDim.x) {
      const int row = i / kVec;
      float4 p[kFoldChunk];
#pragma unroll
      for (int jj = 0; jj < kFoldChunk; ++jj)
        p[jj] = __ldcg(acc + int64_t(jj < n ? jj : n - 1) * rc * kVec + i);
      const float keep = st.fold_scale[row];
      float4& dst = st.acc4(row, i % kVec);
      float4 a = dst;
      a.x *= keep, a.y *= keep, a.z *= keep, a.w *= keep;
#pragma unroll
      for (int jj = 0; jj < kFoldChunk; ++jj) {
        const float w = st.fold_w[jj * rc + row];
        a.x += w * p[jj].x, a.y += w * p[jj].y, a.z += w * p[jj].z, a.w += w * p[jj].w;
      }
      dst = a;
    }
    __syncthreads();  // the next chunk rewrites fold_w
  }
}

template <int F>
__device__ void fold_partials_any(int mode, const AttentionLayout& L, const StateSmem& st,
                                  const float2* part_ml, const float* part_acc, int64_t first,
                                  int64_t count, int rows) {
  if (mode == kFoldBatched)
    fold_partials_batched<F>(L, st, part_ml, part_acc, first, count, rows);
  else if (mode == kFoldParallel)
    fold_partials_parallel<F>(L, st, part_ml, part_acc, first, count, rows);
  else
    fold_partials<F>(L, st, part_ml, part_acc, first, count, rows);
}

}  // namespace einsim::gpu
