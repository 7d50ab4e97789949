#include "float_bits.h"

#include <cmath>
#include <cstring>

namespace einsim::gpu {

double fp16_bits_to_double(uint16_t bits) {
  const int sign = bits >> 15;
  const int exponent = (bits >> 10) & 0x1f;
  const int mantissa = bits & 0x3ff;
  double v;
  if (exponent == 0)
    v = std::ldexp(double(mantissa), -24);
  else if (exponent == 31)
    v = mantissa ? std::nan("") : INFINITY;
  else
    v = std::ldexp(double(mantissa | 0x400), exponent - 25);
  return sign ? -v : v;
}

double bf16_bits_to_double(uint16_t bits) {
  const uint32_t word = uint32_t(bits) << 16;
  float f;
  std::memcpy(&f, &word, sizeof f);
  return f;
}

uint16_t double_to_fp16_bits(double x) {
  uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  x = std::fabs(x);
  if (std::isnan(x)) return 0x7e00;
  if (x >= 65520.0) return sign | 0x7c00;  // rounds past the largest finite value
  int exp2;
  std::frexp(x, &exp2);  // x = f * 2^exp2, f in [0.5, 1)
  int e = exp2 - 1;      // x = 1.m * 2^e
  if (e < -14) e = -14;  // subnormal range keeps the spacing of 2^-24
  const double scaled = std::nearbyint(std::ldexp(x, 10 - e));  // round to nearest even
  uint32_t m = static_cast<uint32_t>(scaled);
  if (m == 0) return sign;
  if (m >= 2048) {  // rounding carried into the next binade
    m >>= 1;
    ++e;
  }
  if (m < 1024) return sign | uint16_t(m);  // subnormal
  return sign | uint16_t((e + 15) << 10) | uint16_t(m & 0x3ff);
}

uint16_t double_to_bf16_bits(double x) {
  const float f = static_cast<float>(x);
  uint32_t word;
  std::memcpy(&word, &f, sizeof word);
  if (std::isnan(f)) return 0x7fc0;
  word += 0x7fff + ((word >> 16) & 1);  // round to nearest even
  return uint16_t(word >> 16);
}

}  // namespace einsim::gpu
