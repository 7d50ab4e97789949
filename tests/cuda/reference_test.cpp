#include <doctest/doctest.h>

#include <cmath>

#include "cuda/reference.h"

using namespace einsim::gpu;

TEST_CASE("reference attention: two keys, E = F = 1, by hand") {
  // scale = 1/sqrt(1); scores 0 and ln 3 give weights 1/4 and 3/4.
  const double q[] = {std::log(3.0)};
  const double k[] = {0.0, 1.0};
  const double v[] = {2.0, 6.0};
  const auto o = reference_attention_row(q, k, v, 2, 1, 1);
  REQUIRE(o.size() == 1);
  CHECK(o[0] == doctest::Approx(0.25 * 2 + 0.75 * 6).epsilon(1e-14));
}

TEST_CASE("reference attention applies 1/sqrt(E) and handles F != E") {
  // E = 4: scale 1/2; q.k1 = 2 ln 2, so the scores are 0 and ln 2: weights 1/3, 2/3.
  const double q[] = {2 * std::log(2.0), 0, 0, 0};
  const double k[] = {0, 0, 0, 0, 1, 0, 0, 0};
  const double v[] = {3, 0, 0, 3};
  const auto o = reference_attention_row(q, k, v, 2, 4, 2);
  REQUIRE(o.size() == 2);
  CHECK(o[0] == doctest::Approx(1.0).epsilon(1e-14));
  CHECK(o[1] == doctest::Approx(2.0).epsilon(1e-14));
}

TEST_CASE("reference attention is stable for large scores") {
  const double q[] = {1000};
  const double k[] = {1, 1, 0.999};
  const double v[] = {1, 3, 100};
  const auto o = reference_attention_row(q, k, v, 3, 1, 1);
  CHECK(std::isfinite(o[0]));
  // exp(-1) weight for the third key relative to the first two.
  const double w = std::exp(-1.0);
  CHECK(o[0] == doctest::Approx((1 + 3 + 100 * w) / (2 + w)).epsilon(1e-12));
}
