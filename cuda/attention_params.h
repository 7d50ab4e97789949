// The one argument every attention kernel takes (by value): tensors, shape, CTA layout and the
// workspace for split results. Layouts: Q [B,H,P,E], K [B,Hkv,M,E], V [B,Hkv,M,F], O [B,H,P,F],
// row-major. A "unit" is one (b, hkv): its G*P query rows are contiguous in Q and O and start at
// row unit * G * P, because the G query heads of a KV head are adjacent.
#pragma once

#include <cstdint>

#include "attention_layout.h"
#include "phase_stamps.h"
#include "stream_k_ranges.h"

namespace einsim::gpu {

// How a CTA folds other CTAs' partials (attention_epilogue.cuh): one load after another, each
// thread's float4 of every partial of a chunk with its (max, sum) pairs in flight at once, or the
// (max, sum) pairs first (weights in shared memory) and then the float4s, unconditionally.
enum FoldMode : int { kFoldSerial = 0, kFoldParallel = 1, kFoldBatched = 2 };

struct AttentionParams {
  const void* q = nullptr;
  const void* k = nullptr;
  const void* v = nullptr;
  void* o = nullptr;

  // Split results: partial `i` holds rows_cta rows of (max, sum) and of unnormalised output.
  float* part_acc = nullptr;        // [partials][rows_cta][F]
  float2* part_ml = nullptr;        // [partials][rows_cta]
  unsigned* flags = nullptr;        // stream-K: one per CTA, == epoch once its partial is written
  unsigned epoch = 0;               // stream-K: distinct per launch, so flags need no reset
  int fold_mode = kFoldBatched;     // how split partials are folded (FoldMode)
  PhaseStamp* stamps = nullptr;     // [grid][kStampSegments][kStampSlots], or nullptr (phase_stamps.h)

  int64_t M = 0;
  int64_t rows_per_unit = 0;   // G * P
  int64_t blocks_per_unit = 0; // row blocks per unit
  int64_t units = 0;           // B * Hkv
  int64_t n_tiles = 0;         // ceil(M / tile_n)
  int64_t splits = 1;          // split-K
  StreamKSpace sk;             // stream-K
  AttentionLayout layout;
  float scale_log2 = 0;  // log2(e) / sqrt(E): scores are kept in the base-2 exponent domain
};

}  // namespace einsim::gpu
