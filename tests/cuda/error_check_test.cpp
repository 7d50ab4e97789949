#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "cuda/error_check.h"

using namespace einsim::gpu;

TEST_CASE("all rows are sampled when there are few") {
  const auto rows = sample_rows(2, 3, 1, 16, 7);
  CHECK(rows.size() == 6);
  CHECK(rows.back() == RowIndex{1, 2, 0});
}

TEST_CASE("sampled rows are distinct, in range, and include the corners") {
  for (uint64_t seed : {1u, 2u, 99u}) {
    const auto rows = sample_rows(4, 32, 8, 16, seed);
    REQUIRE(rows.size() == 16);
    CHECK(std::find(rows.begin(), rows.end(), RowIndex{3, 31, 7}) != rows.end());
    CHECK(std::find(rows.begin(), rows.end(), RowIndex{0, 0, 0}) != rows.end());
    CHECK(std::find(rows.begin(), rows.end(), RowIndex{0, 31, 7}) != rows.end());
    CHECK(std::find(rows.begin(), rows.end(), RowIndex{3, 0, 0}) != rows.end());
    for (size_t i = 0; i < rows.size(); ++i) {
      CHECK(rows[i].b < 4);
      CHECK(rows[i].h < 32);
      CHECK(rows[i].p < 8);
      for (size_t j = 0; j < i; ++j) CHECK(!(rows[i] == rows[j]));
    }
  }
  CHECK(sample_rows(4, 32, 8, 16, 5) == sample_rows(4, 32, 8, 16, 5));
}

TEST_CASE("relative error is max|o - ref| / max|ref| and NaN never passes") {
  const double ref[] = {1.0, -4.0, 2.0};
  const double out[] = {1.01, -4.0, 1.98};
  CHECK(relative_error(out, ref, 3) == doctest::Approx(0.02 / 4.0));
  const double nan_out[] = {1.0, NAN, 2.0};
  CHECK(std::isinf(relative_error(nan_out, ref, 3)));
  const double zero[] = {0.0, 0.0};
  const double small[] = {1e-3, 0.0};
  CHECK(relative_error(small, zero, 2) == doctest::Approx(1e-3));
  CHECK(error_bound(DType::fp16) == 2e-3);
  CHECK(error_bound(DType::bf16) == 1.6e-2);
}
