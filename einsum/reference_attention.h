// Plain softmax attention computed directly (Eigen), independent of any cascade: the answer every
// attention cascade must reproduce. Layouts: Q [B,H,E,P], K [B,Hkv,E,M], V [B,Hkv,F,M],
// output [B,H,F,P]; query head h reads key/value head h / (H / Hkv). No 1/sqrt(E) scale.
#pragma once
#include "einsum/tensor.h"

namespace einsum {

Tensor reference_attention(const Tensor& q, const Tensor& k, const Tensor& v);

} // namespace einsum
