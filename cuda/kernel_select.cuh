// Picks the compiled instantiation of an attention kernel for a run-time (dtype, head dim, key
// chunk, row tiles a warp). The instantiated set is: dtype in {fp16, bf16} x E = F in
// {64, 128, 256} x kc in {16, 32, 64} (only 16 for 256: wider spills registers, see
// launch_plan.cpp) x m-tiles 1, plus m-tiles 2 for prefill with E <= 128; else nullptr.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "attention_params.h"
#include "job.h"

namespace einsim::gpu {

using AttentionKernel = void (*)(AttentionParams);

// Family provides `template <class T, int D, int KC, int MT> static AttentionKernel get()` and
// `static constexpr bool kTwoRowTiles`: whether it is instantiated for MT = 2 (D <= 128 only).
template <class Family, class T, int D, int KC>
AttentionKernel select_for_mt(int mt) {
  if (mt == 1) return Family::template get<T, D, KC, 1>();
  if constexpr (Family::kTwoRowTiles && D <= 128)
    if (mt == 2) return Family::template get<T, D, KC, 2>();
  return nullptr;
}

template <class Family, class T, int D>
AttentionKernel select_for_kc(int kc, int mt) {
  switch (kc) {
    case 16: return select_for_mt<Family, T, D, 16>(mt);
    case 32:
      if constexpr (D < 256) return select_for_mt<Family, T, D, 32>(mt);
      return nullptr;
    case 64:
      if constexpr (D < 256) return select_for_mt<Family, T, D, 64>(mt);
      return nullptr;
    default: return nullptr;
  }
}

template <class Family, class T>
AttentionKernel select_for_head_dim(int d, int kc, int mt) {
  switch (d) {
    case 64: return select_for_kc<Family, T, 64>(kc, mt);
    case 128: return select_for_kc<Family, T, 128>(kc, mt);
    case 256: return select_for_kc<Family, T, 256>(kc, mt);
    default: return nullptr;
  }
}

template <class Family>
AttentionKernel select_kernel(DType dtype, int d, int kc, int mt) {
  return dtype == DType::fp16 ? select_for_head_dim<Family, __half>(d, kc, mt)
                              : select_for_head_dim<Family, __nv_bfloat16>(d, kc, mt);
}

}  // namespace einsim::gpu
