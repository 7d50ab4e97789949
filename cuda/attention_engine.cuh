// The CTA-level core shared by all attention kernels: run online softmax for one block of query
// rows over a contiguous range of key tiles, leaving the fp32 state (running max m, running sum l,
// unnormalised output acc) of every row in shared memory (attention_epilogue.cuh turns that state
// into output, into a partial for another CTA, or folds other CTAs' partials into it).
//
// Each warp owns 16 (or 32) query rows and a slice of every K/V tile (attention_layout.h). Scores
// S = Q K^T and the product P V run on tensor cores (mma.sync m16n8k16, fp32 accumulation); the
// softmax scale 1/sqrt(E) is applied to the scores, folded with log2(e) into one multiply so that
// exp2f can be used. K/V tiles stream through shared memory with 16-byte cp.async copies,
// L.stages deep, so later tiles load while this one is computed.
#pragma once

#include <cuda_runtime.h>

#include <cfloat>
#include <cstdint>

#include "attention_layout.h"
#include "mma_ptx.cuh"
#include "phase_stamps.cuh"

namespace einsim::gpu {

// Where the fp32 state lives in the shared-memory region (it overlays the K/V stages).
struct StateSmem {
  float* acc;     // [warps_n][rows_cta][row_floats]; after the merge, slice 0 is the CTA's acc
  float* m_w;     // [warps_n][rows_cta]
  float* l_w;     // [warps_n][rows_cta]
  float* m;       // [rows_cta] the CTA's running max (base-2 domain)
  float* l;       // [rows_cta] the CTA's running sum
  float* fold_w;  // [kFoldChunk][rows_cta]
  float* fold_scale;  // [rows_cta]
  float* fold_l;  // [kFoldChunk][rows_cta] partial sums (parallel fold)
  int row_floats;  // floats from one acc row to the next (AttentionLayout::state_row_floats)
  // Float4 `c` of acc row `row` (slice 0).
  __device__ float4& acc4(int row, int c) const {
    return reinterpret_cast<float4*>(acc + int64_t(row) * row_floats)[c];
  }
};

__device__ inline StateSmem state_smem(const AttentionLayout& L, char* region) {
  StateSmem s;
  const int64_t rows = L.rows_cta;
  s.row_floats = L.state_row_floats();
  s.acc = reinterpret_cast<float*>(region);
  s.m_w = s.acc + int64_t(L.warps_n) * rows * s.row_floats;
  s.l_w = s.m_w + L.warps_n * rows;
  s.m = s.l_w + L.warps_n * rows;
  s.l = s.m + rows;
  s.fold_w = s.l + rows;
  s.fold_scale = s.fold_w + kFoldChunk * rows;
  s.fold_l = s.fold_scale + rows;
  return s;
}

// A base for exp2 that is finite even when every score so far was masked (m = -inf).
__device__ __forceinline__ float exp_base(float m) { return m == -INFINITY ? 0.f : m; }

// The max and the sum over each half-warp (lanes 0-15 and 16-31 apart), in every lane of it.
__device__ __forceinline__ float half_warp_max(float x) {
#pragma unroll
  for (int o = 8; o > 0; o /= 2) x = fmaxf(x, __shfl_xor_sync(0xffffffffu, x, o));
  return x;
}
__device__ __forceinline__ float half_warp_sum(float x) {
#pragma unroll
  for (int o = 8; o > 0; o /= 2) x += __shfl_xor_sync(0xffffffffu, x, o);
  return x;
}

// Copies `rows` rows of W halfs (row stride W in global memory) into shared-memory rows of
// `dst_row_halfs` halfs: rows [0, valid_rows) from `src`, the rest zero-filled; with kSwizzle each
// row's 16-byte chunks land at kv_swizzled_chunk (K and V stages), else in order (Q, padded rows).
// Each thread owns one 16-byte chunk column and every (blockDim / chunks)-th row, so the loop is
// pointer increments and an XOR a copy: address arithmetic a copy made the K/V loads issue-bound
// (Nsight Compute on 64K decode: the warps were issuing or waiting on fixed-latency ALU results
// 75% of the time, in this loop; cuda/NOTES.md). Needs blockDim.x to be a multiple of W / 8.
template <class T, int W, bool kSwizzle>
__device__ __forceinline__ void copy_rows(T* dst, int dst_row_halfs, const T* src, int rows,
                                          int valid_rows) {
  constexpr int kChunks = W / 8;
  static_assert(kChunks <= 32, "a warp's threads cover a row");
  static_assert(!kSwizzle || kChunks % 8 == 0, "swizzled rows hold a multiple of 8 chunks");
  const int ch = int(threadIdx.x) % kChunks;
  const int step = int(blockDim.x) / kChunks;
  int row = int(threadIdx.x) / kChunks;
  const uint32_t row_bytes = uint32_t(dst_row_halfs * int(sizeof(T)));
  uint32_t d = smem_addr(dst) + uint32_t(row) * row_bytes;
  const uint32_t d_step = uint32_t(step) * row_bytes;
  auto at = [&](int r) { return d + uint32_t((kSwizzle ? kv_swizzled_chunk(r, ch) : ch) * 16); };
  const T* s = src + row * W + ch * 8;
  const int s_step = step * W;
  if (valid_rows >= rows) {
#pragma unroll 4
    for (; row < rows; row += step, d += d_step, s += s_step) cp_async_16_at(at(row), s);
  } else {
    for (; row < rows; row += step, d += d_step, s += s_step)
      cp_async_16_at(at(row), row < valid_rows ? s : src, row < valid_rows);
  }
}

// Loads key tile `t` (tile_n rows of E and of F) into one stage; rows past M are zero-filled.
template <class T, int E, int F>
__device__ __forceinline__ void load_kv_tile(const AttentionLayout& L, const T* k, const T* v,
                                             int64_t M, int64_t t, T* k_s, T* v_s) {
  const int64_t key0 = t * L.tile_n;
  const int valid = int(M - key0 < L.tile_n ? M - key0 : L.tile_n);
  copy_rows<T, E, true>(k_s, L.k_row_halfs(), k + key0 * E, L.tile_n, valid);
  copy_rows<T, F, true>(v_s, L.v_row_halfs(), v + key0 * F, L.tile_n, valid);
}

// Waits until at most `pending` cp.async groups of this thread are in flight (0..kMaxKvStages-1).
__device__ __forceinline__ void cp_async_wait_pending(int pending) {
  switch (pending) {
    case 0: cp_async_wait<0>(); break;
    case 1: cp_async_wait<1>(); break;
    case 2: cp_async_wait<2>(); break;
    default: cp_async_wait<3>(); break;
  }
}

// Runs online softmax for `rows` query rows (q: rows x E, contiguous) against key tiles
// [t_begin, t_end) of one KV head (k: M x E, v: M x F). On return (after a barrier) the CTA's
// state is in StateSmem::{acc, m, l}. An empty range leaves m = -inf, l = 0, acc = 0.
// MT = L.m_tiles: with one 16-row tile a warp the Q fragments stay in registers; with two they
// are re-read from shared memory (the registers go to the second tile's accumulators).
// `stamps`: this segment's phase stamps (phase_stamps.h), or nullptr.
template <class T, int E, int F, int KC, int MT>
__device__ void attend_range(const AttentionLayout& L, const T* q, int rows, const T* k,
                             const T* v, int64_t M, int64_t t_begin, int64_t t_end,
                             float scale_log2, char* smem, PhaseStamp* stamps = nullptr) {
  phase_stamp(stamps, kStampSegmentStart);
  using Ops = MmaOps<T>;
  static_assert(E % 16 == 0 && F % 16 == 0 && KC % 16 == 0, "fragment shapes");
  static_assert(MT == 1 || MT == 2, "one or two 16-row tiles a warp");
  constexpr bool kQInRegisters = MT == 1;
  constexpr int kScoreTiles = KC / 8;  // n8 tiles of scores per chunk
  constexpr int kOutTiles = F / 8;     // n8 tiles of output per warp

  T* q_s = reinterpret_cast<T*>(smem);
  char* region = smem + L.q_bytes();
  const int64_t stage_bytes = L.k_stage_bytes() + L.v_stage_bytes();
  auto k_stage = [&](int s) { return reinterpret_cast<T*>(region + s * stage_bytes); };
  auto v_stage = [&](int s) {
    return reinterpret_cast<T*>(region + s * stage_bytes + L.k_stage_bytes());
  };

  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int wm = warp % L.warps_m, wn = warp / L.warps_m;
  const int g = lane / 4, tq = lane % 4;  // mma fragment row group and column pair
  const int warp_row0 = wm * 16 * MT;

  float acc[MT][kOutTiles][4];
#pragma unroll
  for (int mt = 0; mt < MT; ++mt)
#pragma unroll
    for (int i = 0; i < kOutTiles; ++i)
      acc[mt][i][0] = acc[mt][i][1] = acc[mt][i][2] = acc[mt][i][3] = 0.f;
  float m_run[MT][2], l_run[MT][2];  // rows g and g + 8 of each tile; l is this thread's share
#pragma unroll
  for (int mt = 0; mt < MT; ++mt)
    m_run[mt][0] = m_run[mt][1] = -INFINITY, l_run[mt][0] = l_run[mt][1] = 0.f;

  if (t_begin < t_end) {
    const int stages = L.stages;
    copy_rows<T, E, false>(q_s, L.q_row_halfs(), q, L.rows_cta, rows);
    // Prologue: tiles t_begin .. t_begin + stages - 2, one commit group each (Q joins the first).
    // Groups are committed even when empty so that group i always holds tile t_begin + i.
    for (int s = 0; s < stages - 1; ++s) {
      if (t_begin + s < t_end) load_kv_tile<T, E, F>(L, k, v, M, t_begin + s, k_stage(s), v_stage(s));
      cp_async_commit();
    }

    // The swizzled byte offsets of this lane's ldmatrix chunks within a 128-byte line: the lane
    // reads chunk 2 kk + c (K: c = (lane / 8) % 2; V: 2 np + lane / 16) of rows whose low three
    // bits are lane % 8, i.e. ((2 kk + c) ^ (lane % 8)) = ((c ^ lane % 8) ^ 2 (kk % 4)) plus line
    // kk / 4: four offsets a lane, computed once, so a load address is one add.
    uint32_t k_off[4], v_off[4];
#pragma unroll
    for (int i = 0; i < 4; ++i) {
      k_off[i] = uint32_t(kv_swizzled_chunk(lane, 2 * i + (lane / 8) % 2) * 16);
      v_off[i] = uint32_t(kv_swizzled_chunk(lane, 2 * i + lane / 16) * 16);
    }
    constexpr int kKRowBytes = E * int(sizeof(T)), kVRowBytes = F * int(sizeof(T));
    uint32_t qf[kQInRegisters ? E / 16 : 1][4];
    int stage = 0;  // the stage tile t sits in: (t - t_begin) % stages, kept in 32 bits
    for (int64_t t = t_begin; t < t_end; ++t) {
      // Refill the stage that the previous iteration finished with (the barrier at its end
      // guards it): stage - 1, cyclically.
      if (t + stages - 1 < t_end) {
        const int refill = stage == 0 ? stages - 1 : stage - 1;
        load_kv_tile<T, E, F>(L, k, v, M, t + stages - 1, k_stage(refill), v_stage(refill));
      }
      cp_async_commit();
      cp_async_wait_pending(stages - 1);  // group t - t_begin (tile t) has landed
      __syncthreads();
      if (t == t_begin) phase_stamp(stamps, kStampFirstTile);
      if constexpr (kQInRegisters) {
        if (t == t_begin) {
          // A fragments of this warp's 16 query rows, kept in registers for the whole range.
          const T* base = q_s + (warp_row0 + lane % 16) * L.q_row_halfs() + (lane / 16) * 8;
#pragma unroll
          for (int kk = 0; kk < E / 16; ++kk) ldmatrix_x4(qf[kk], base + kk * 16);
        }
      }
      const T* k_s = k_stage(stage);
      const T* v_s = v_stage(stage);
      const bool tail_tile = (t + 1) * L.tile_n > M;

      for (int chunk = 0; chunk < L.keys_per_warp / KC; ++chunk) {
        const int key0 = wn * L.keys_per_warp + chunk * KC;  // within the tile
        float s[MT][kScoreTiles][4];
#pragma unroll
        for (int mt = 0; mt < MT; ++mt)
#pragma unroll
          for (int j = 0; j < kScoreTiles; ++j)
            s[mt][j][0] = s[mt][j][1] = s[mt][j][2] = s[mt][j][3] = 0.f;

        // S = Q K^T: B fragments straight from K rows (K is the column-major B of the product),
        // each used by all MT row tiles.
        // Rows key0 + lane % 8 (+ 8, + 16 j): their low three bits are lane % 8 (key0 is a
        // multiple of 16), as k_off assumes.
        const uint32_t k_row = smem_addr(k_s + (key0 + lane % 8 + (lane / 16) * 8) * E);
        const T* q_base = q_s + (warp_row0 + lane % 16) * L.q_row_halfs() + (lane / 16) * 8;
#pragma unroll
        for (int kk = 0; kk < E / 16; ++kk) {
          uint32_t qa[MT][4];
          if constexpr (kQInRegisters) {
#pragma unroll
            for (int r = 0; r < 4; ++r) qa[0][r] = qf[kk][r];
          } else {
#pragma unroll
            for (int mt = 0; mt < MT; ++mt)
              ldmatrix_x4(qa[mt], q_base + mt * 16 * L.q_row_halfs() + kk * 16);
          }
#pragma unroll
          for (int j = 0; j < KC / 16; ++j) {
            uint32_t b[4];
            ldmatrix_x4_at(b, k_row + k_off[kk % 4] + (kk / 4) * 128 + j * 16 * kKRowBytes);
#pragma unroll
            for (int mt = 0; mt < MT; ++mt) {
              Ops::mma(s[mt][2 * j], qa[mt], b[0], b[1]);
              Ops::mma(s[mt][2 * j + 1], qa[mt], b[2], b[3]);
            }
          }
        }

        // Scale into the base-2 domain; mask keys past M in the last tile.
#pragma unroll
        for (int mt = 0; mt < MT; ++mt)
#pragma unroll
          for (int j = 0; j < kScoreTiles; ++j)
#pragma unroll
            for (int c = 0; c < 4; ++c) {
              s[mt][j][c] *= scale_log2;
              if (tail_tile) {
                const int64_t key = t * L.tile_n + key0 + j * 8 + 2 * tq + (c & 1);
                if (key >= M) s[mt][j][c] = -INFINITY;
              }
            }

        // Online softmax: c = 0,1 belong to row g, c = 2,3 to row g + 8.
#pragma unroll
        for (int mt = 0; mt < MT; ++mt)
#pragma unroll
          for (int half = 0; half < 2; ++half) {
            float mx = -INFINITY;
#pragma unroll
            for (int j = 0; j < kScoreTiles; ++j)
              mx = fmaxf(mx, fmaxf(s[mt][j][2 * half], s[mt][j][2 * half + 1]));
            mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
            mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
            const float m_new = fmaxf(m_run[mt][half], mx);
            const float base = exp_base(m_new);
            const float alpha = exp2f(m_run[mt][half] - base);
            m_run[mt][half] = m_new;
            float sum = 0.f;
#pragma unroll
            for (int j = 0; j < kScoreTiles; ++j)
#pragma unroll
              for (int c = 0; c < 2; ++c) {
                const float p = exp2f(s[mt][j][2 * half + c] - base);
                s[mt][j][2 * half + c] = p;
                sum += p;
              }
            l_run[mt][half] = l_run[mt][half] * alpha + sum;
#pragma unroll
            for (int i2 = 0; i2 < kOutTiles; ++i2) {
              acc[mt][i2][2 * half] *= alpha;
              acc[mt][i2][2 * half + 1] *= alpha;
            }
          }

        // acc += P V: the score accumulators of two n8 tiles are exactly one A fragment.
        const uint32_t v_row = smem_addr(v_s + (key0 + lane % 8 + ((lane / 8) % 2) * 8) * F);
#pragma unroll
        for (int j = 0; j < KC / 16; ++j) {
          uint32_t a[MT][4];
#pragma unroll
          for (int mt = 0; mt < MT; ++mt) {
            a[mt][0] = Ops::pack(s[mt][2 * j][0], s[mt][2 * j][1]);
            a[mt][1] = Ops::pack(s[mt][2 * j][2], s[mt][2 * j][3]);
            a[mt][2] = Ops::pack(s[mt][2 * j + 1][0], s[mt][2 * j + 1][1]);
            a[mt][3] = Ops::pack(s[mt][2 * j + 1][2], s[mt][2 * j + 1][3]);
          }
#pragma unroll
          for (int np = 0; np < F / 16; ++np) {
            uint32_t b[4];
            ldmatrix_x4_trans_at(b, v_row + v_off[np % 4] + (np / 4) * 128 + j * 16 * kVRowBytes);
#pragma unroll
            for (int mt = 0; mt < MT; ++mt) {
              Ops::mma(acc[mt][2 * np], a[mt], b[0], b[1]);
              Ops::mma(acc[mt][2 * np + 1], a[mt], b[2], b[3]);
            }
          }
        }
      }
      __syncthreads();  // this stage is refilled by a later iteration
      stage = stage + 1 == stages ? 0 : stage + 1;
    }
    cp_async_wait<0>();  // retire the trailing empty groups
  }
  phase_stamp(stamps, kStampTilesDone);

  // Per-warp states to shared memory (the K/V stages are free now), then merge along wn. Only
  // the `rows` real rows are kept: decode pads its G rows to 16, and merging the padding cost
  // ~4.6 us a segment on an H200 (cuda/NOTES.md).
  StateSmem st = state_smem(L, region);
#pragma unroll
  for (int mt = 0; mt < MT; ++mt)
#pragma unroll
    for (int half = 0; half < 2; ++half) {
      float l = l_run[mt][half];
      l += __shfl_xor_sync(0xffffffffu, l, 1);
      l += __shfl_xor_sync(0xffffffffu, l, 2);
      const int row = warp_row0 + mt * 16 + g + 8 * half;
      if (row < rows) {
        float* acc_row = st.acc + (int64_t(wn) * L.rows_cta + row) * st.row_floats;
#pragma unroll
        for (int i = 0; i < kOutTiles; ++i)
          *reinterpret_cast<float2*>(acc_row + i * 8 + 2 * tq) =
              make_float2(acc[mt][i][2 * half], acc[mt][i][2 * half + 1]);
        if (tq == 0) {
          st.m_w[wn * L.rows_cta + row] = m_run[mt][half];
          st.l_w[wn * L.rows_cta + row] = l;
        }
      }
    }
  __syncthreads();
  // The CTA's max and sum of each row, and each warp's weight in place of its max: a half-warp
  // a row (warps_n <= 16, launch_plan), lane j holding warp slice j, reduced with shuffles (a
  // thread a row walking the warps one shared-memory load after another cost ~1,000 SM cycles).
  {
    const int j = lane % 16;
    for (int row0 = 2 * warp; row0 < rows; row0 += 2 * L.warps()) {  // uniform in a warp
      const int row = row0 + lane / 16;
      const bool mine = row < rows && j < L.warps_n;
      const float mw = mine ? st.m_w[j * L.rows_cta + row] : -INFINITY;
      const float mx = half_warp_max(mw);
      const float weight = mine ? exp2f(mw - exp_base(mx)) : 0.f;
      const float l = half_warp_sum(mine ? st.l_w[j * L.rows_cta + row] * weight : 0.f);
      if (mine) st.m_w[j * L.rows_cta + row] = weight;
      if (mine && j == 0) st.m[row] = mx, st.l[row] = l;
    }
  }
  if (L.warps_n > 1) {
    __syncthreads();
    constexpr int kVec = F / 4;
    const int64_t slice4 = int64_t(L.rows_cta) * st.row_floats / 4;  // float4s a warp slice
    for (int i = threadIdx.x; i < rows * kVec; i += blockDim.x) {
      const int row = i / kVec, c = i % kVec;
      const float4* x = &st.acc4(row, c);
      float4 a = make_float4(0.f, 0.f, 0.f, 0.f);
      for (int w = 0; w < L.warps_n; ++w) {
        const float weight = st.m_w[w * L.rows_cta + row];
        const float4 xw = x[w * slice4];
        a.x += weight * xw.x, a.y += weight * xw.y, a.z += weight * xw.z, a.w += weight * xw.w;
      }
      st.acc4(row, c) = a;  // slice 0: element i is read and written by this thread only
    }
  }
  __syncthreads();
  phase_stamp(stamps, kStampMerged);
}

}  // namespace einsim::gpu
