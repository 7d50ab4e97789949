// The rotating input copies (cuda/input_copies.h): one pass over them always streams more than
// twice the L2, and no more copies than that needs.
#include <doctest/doctest.h>

#include <cstdint>
#include <initializer_list>

#include "cuda/input_copies.h"

using namespace einsim::gpu;

TEST_CASE("input_copies_past_l2: the fewest copies whose pass exceeds twice the L2") {
  for (int64_t l2 : {int64_t(50) << 20, int64_t(60) << 20})
    for (int64_t bytes = 1 << 16; bytes <= (int64_t(8) << 30); bytes = bytes * 3 / 2) {
      CAPTURE(l2);
      CAPTURE(bytes);
      const int64_t n = input_copies_past_l2(l2, bytes);
      CHECK(n * bytes > 2 * l2);
      CHECK((n - 1) * bytes <= 2 * l2);
    }
  CHECK(input_copies_past_l2(int64_t(60) << 20, int64_t(1) << 20) == 121);  // the floor's 1 MiB on an H200
  CHECK(input_copies_past_l2(int64_t(60) << 20, int64_t(128) << 20) == 1);  // 128 MiB is past it alone
}
