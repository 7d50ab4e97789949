#include <doctest/doctest.h>

#include "cuda/timing_stats.h"

using namespace einsim::gpu;

TEST_CASE("timing summary: median, min, max") {
  auto s = summarize({5, 1, 3});
  CHECK(s.median == 3);
  CHECK(s.min == 1);
  CHECK(s.max == 5);
  CHECK(s.runs == 3);
  s = summarize({4, 1, 3, 10});
  CHECK(s.median == 3.5);
  CHECK(summarize({}).runs == 0);
}
