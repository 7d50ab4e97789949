// Checks an attention cascade against plain softmax attention on seeded random inputs.
#pragma once
#include <cstdint>
#include <string>

#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "einsum/tensor.h"

namespace einsum {

// How inputs are drawn: independent uniform values in [-1, 1], or a smooth sequence in which each
// query position follows the previous one as an AR(1) process with correlation `rho`.
struct InputSpec {
    std::uint64_t seed = 1;
    double rho = 0.0; // 0: independent; close to 1: consecutive query positions nearly equal
};

struct AttentionCheck {
    double max_abs_error = 0;
    double max_rel_error = 0; // max |out - ref| / max |ref|
    std::int64_t elements = 0;
};

TensorMap random_attention_inputs(const Cascade& c, const Shape& s, const InputSpec& spec);
AttentionCheck compare_tensors(const Tensor& out, const Tensor& ref);

// Throws InputError when the cascade declares no [attention] roles.
AttentionCheck check_attention(const Cascade& c, const Shape& s, const InputSpec& spec);

} // namespace einsum
