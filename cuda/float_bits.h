// Host-side conversions between 16-bit float encodings (IEEE fp16, bfloat16) and double, so the
// CPU reference sees exactly the values the GPU read.
#pragma once

#include <cstdint>

namespace einsim::gpu {

double fp16_bits_to_double(uint16_t bits);
double bf16_bits_to_double(uint16_t bits);
// Round to nearest even; out-of-range values become infinity.
uint16_t double_to_fp16_bits(double x);
uint16_t double_to_bf16_bits(double x);

}  // namespace einsim::gpu
