#include <doctest/doctest.h>

#include <cmath>

#include "cuda/float_bits.h"

using namespace einsim::gpu;

TEST_CASE("fp16 encodings") {
  CHECK(fp16_bits_to_double(0x3c00) == 1.0);
  CHECK(fp16_bits_to_double(0xc000) == -2.0);
  CHECK(fp16_bits_to_double(0x7bff) == 65504.0);
  CHECK(fp16_bits_to_double(0x0001) == std::ldexp(1.0, -24));
  CHECK(std::isinf(fp16_bits_to_double(0x7c00)));
  CHECK(std::isnan(fp16_bits_to_double(0xffff)));  // the runner's output poison
  CHECK(double_to_fp16_bits(1.0) == 0x3c00);
  CHECK(double_to_fp16_bits(1.0 + std::ldexp(1.0, -11)) == 0x3c00);  // tie: to even
  CHECK(double_to_fp16_bits(1.0 + 3 * std::ldexp(1.0, -11)) == 0x3c02);
  CHECK(double_to_fp16_bits(1e6) == 0x7c00);
  for (uint32_t b = 0; b < 0x10000; ++b) {
    if ((b & 0x7c00) == 0x7c00) continue;  // inf / NaN
    REQUIRE(double_to_fp16_bits(fp16_bits_to_double(uint16_t(b))) == uint16_t(b));
  }
}

TEST_CASE("bf16 encodings") {
  CHECK(bf16_bits_to_double(0x3f80) == 1.0);
  CHECK(bf16_bits_to_double(0xc000) == -2.0);
  CHECK(std::isnan(bf16_bits_to_double(0xffff)));
  CHECK(double_to_bf16_bits(1.0) == 0x3f80);
  for (uint32_t b = 0; b < 0x10000; ++b) {
    if ((b & 0x7f80) == 0x7f80) continue;
    REQUIRE(double_to_bf16_bits(bf16_bits_to_double(uint16_t(b))) == uint16_t(b));
  }
}
