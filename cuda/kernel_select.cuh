// Picks the compiled instantiation of an attention kernel for a run-time (dtype, head dim, key
// chunk). The instantiated set is: dtype in {fp16, bf16} x E = F in {64, 128, 256} x kc in
// {16, 32, 64} (only kc 16 for 256: wider spills registers, see launch_plan.cpp); anything else returns nullptr.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "attention_params.h"
#include "job.h"

namespace einsim::gpu {

using AttentionKernel = void (*)(AttentionParams);

// Family must provide `template <class T, int D, int KC> static AttentionKernel get()`.
template <class Family, class T, int D>
AttentionKernel select_for_kc(int kc) {
  switch (kc) {
    case 16: return Family::template get<T, D, 16>();
    case 32:
      if constexpr (D < 256) return Family::template get<T, D, 32>();
      return nullptr;
    case 64:
      if constexpr (D < 256) return Family::template get<T, D, 64>();
      return nullptr;
    default: return nullptr;
  }
}

template <class Family, class T>
AttentionKernel select_for_head_dim(int d, int kc) {
  switch (d) {
    case 64: return select_for_kc<Family, T, 64>(kc);
    case 128: return select_for_kc<Family, T, 128>(kc);
    case 256: return select_for_kc<Family, T, 256>(kc);
    default: return nullptr;
  }
}

template <class Family>
AttentionKernel select_kernel(DType dtype, int d, int kc) {
  return dtype == DType::fp16 ? select_for_head_dim<Family, __half>(d, kc)
                              : select_for_head_dim<Family, __nv_bfloat16>(d, kc);
}

}  // namespace einsim::gpu
