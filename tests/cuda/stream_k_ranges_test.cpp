#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "cuda/stream_k_ranges.h"

using namespace einsim::gpu;

namespace {

// Walks every CTA's segments as the kernel does and checks the partition's invariants.
void check_partition(int64_t units, int64_t tiles, int64_t ctas) {
  CAPTURE(units);
  CAPTURE(tiles);
  CAPTURE(ctas);
  const StreamKSpace s = make_stream_k_space(units, tiles, ctas);
  std::vector<int> covered(size_t(units * tiles), 0);
  std::vector<int64_t> host_of(size_t(units), -1);
  std::vector<int64_t> min_cta(size_t(units), std::numeric_limits<int64_t>::max());
  std::vector<int64_t> partial_unit_of_cta(size_t(ctas), -1);  // the unit a CTA only contributes to
  int64_t min_size = s.total(), max_size = 0;
  for (int64_t c = 0; c < ctas; ++c) {
    const int64_t size = sk_cta_end(s, c) - sk_cta_begin(s, c);
    min_size = std::min(min_size, size);
    max_size = std::max(max_size, size);
    REQUIRE(size >= 1);
    for (int64_t u = sk_first_unit(s, c); u <= sk_last_unit(s, c); ++u) {
      const StreamKSegment seg = sk_segment(s, c, u);
      REQUIRE(seg.tile_begin < seg.tile_end);
      for (int64_t t = seg.tile_begin; t < seg.tile_end; ++t) {
        ++covered[size_t(u * tiles + t)];
        REQUIRE(sk_owner_cta(s, u * tiles + t) == c);
      }
      min_cta[size_t(u)] = std::min(min_cta[size_t(u)], c);
      if (seg.is_host) {
        REQUIRE(host_of[size_t(u)] == -1);
        host_of[size_t(u)] = c;
        REQUIRE(seg.tile_end == tiles);
      } else {
        // Only the last unit of a range can be left unfinished, so one partial slot per CTA.
        REQUIRE(u == sk_last_unit(s, c));
        REQUIRE(partial_unit_of_cta[size_t(c)] == -1);
        partial_unit_of_cta[size_t(c)] = u;
      }
    }
  }
  CHECK(max_size - min_size <= 1);
  CHECK(std::all_of(covered.begin(), covered.end(), [](int n) { return n == 1; }));
  for (int64_t u = 0; u < units; ++u) {
    REQUIRE(host_of[size_t(u)] == sk_host_cta(s, u));
    REQUIRE(min_cta[size_t(u)] == sk_first_cta(s, u));
    // The host's contributors are exactly CTAs [first, host), each with a partial of this unit.
    for (int64_t c = sk_first_cta(s, u); c < sk_host_cta(s, u); ++c)
      REQUIRE(partial_unit_of_cta[size_t(c)] == u);
    // The host's first segment is this unit whenever it has contributors (it starts inside it).
    if (sk_first_cta(s, u) < sk_host_cta(s, u))
      REQUIRE(sk_first_unit(s, sk_host_cta(s, u)) == u);
  }
  for (int64_t c = 0; c < ctas; ++c) {
    const int64_t u = partial_unit_of_cta[size_t(c)];
    if (u >= 0) REQUIRE(sk_host_cta(s, u) > c);  // a host waits only on lower CTAs
  }
}

}  // namespace

TEST_CASE("stream-K ranges: hand-countable case") {
  // 2 units x 5 tiles over 3 CTAs: 10 = 4 + 3 + 3, the longer range first: [0,4) [4,7) [7,10).
  const StreamKSpace s = make_stream_k_space(2, 5, 3);
  CHECK(s.base == 3);
  CHECK(s.rem == 1);
  CHECK(sk_cta_begin(s, 0) == 0);
  CHECK(sk_cta_begin(s, 1) == 4);
  CHECK(sk_cta_begin(s, 2) == 7);
  CHECK(sk_cta_end(s, 2) == 10);
  CHECK(sk_owner_cta(s, 3) == 0);
  CHECK(sk_owner_cta(s, 4) == 1);
  CHECK(sk_owner_cta(s, 7) == 2);
  CHECK(sk_host_cta(s, 0) == 1);
  CHECK(sk_first_cta(s, 0) == 0);
  CHECK(sk_host_cta(s, 1) == 2);
  CHECK(sk_first_cta(s, 1) == 1);
  const StreamKSegment a = sk_segment(s, 1, 0);
  CHECK(a.tile_begin == 4);
  CHECK(a.tile_end == 5);
  CHECK(a.is_host);
  CHECK(a.first_contributor == 0);
  const StreamKSegment b = sk_segment(s, 1, 1);
  CHECK(b.tile_begin == 0);
  CHECK(b.tile_end == 2);
  CHECK(!b.is_host);
}

TEST_CASE("stream-K snapped grid: no CTA straddles two units") {
  // 32 heads x 8 tiles (1K keys, 128-key tiles) on 132 SMs: 128 CTAs of 2 tiles, 4 a unit.
  CHECK(stream_k_snapped_ctas(32, 8, 132) == 128);
  // 8 units x 64 tiles over 264 CTAs: 256 CTAs of 2 tiles.
  CHECK(stream_k_snapped_ctas(8, 64, 264) == 256);
  // 128 units x 16 tiles: 256 CTAs of 8 tiles, half a unit each.
  CHECK(stream_k_snapped_ctas(128, 16, 264) == 256);
  // 3 units x 7 tiles over 5 CTAs: no count in [5 * 0.85, 5] divides 21 into aligned ranges.
  CHECK(stream_k_snapped_ctas(3, 7, 5) == 5);
  for (int64_t units : {1, 2, 3, 8, 32, 64, 128})
    for (int64_t tiles : {1, 2, 5, 16, 33, 128, 1024})
      for (int64_t ctas : {1, 3, 64, 132, 264}) {
        if (ctas > units * tiles) continue;
        CAPTURE(units);
        CAPTURE(tiles);
        CAPTURE(ctas);
        const int64_t c = stream_k_snapped_ctas(units, tiles, ctas);
        REQUIRE(c <= ctas);
        REQUIRE(c * 100 >= ctas * 85);
        if (c == ctas && (units * tiles) % c) continue;  // no snap found
        const StreamKSpace s = make_stream_k_space(units, tiles, c);
        bool aligned = true;
        for (int64_t cta = 0; cta < c; ++cta) {
          const int64_t b = sk_cta_begin(s, cta), e = sk_cta_end(s, cta);
          // Within one unit, or whole units.
          aligned &= sk_first_unit(s, cta) == sk_last_unit(s, cta) ||
                     (b % tiles == 0 && e % tiles == 0);
        }
        if (c != ctas) CHECK(aligned);
        check_partition(units, tiles, c);
      }
}

TEST_CASE("stream-K ranges cover every (unit, tile) once, for many shapes") {
  for (int64_t units : {1, 2, 3, 7, 8, 32, 64})
    for (int64_t tiles : {1, 2, 5, 16, 33, 128})
      for (int64_t ctas : {1, 2, 3, 5, 64, 132, 264, 528}) {
        if (ctas > units * tiles) continue;
        check_partition(units, tiles, ctas);
      }
  // Large spaces: 64-bit products stay exact.
  check_partition(1, 8192, 264);
  check_partition(3, 100000, 264);
}

TEST_CASE("stream-K partials folded by their hosts reproduce whole-unit softmax") {
  // The CPU analogue of the kernel: every segment's (max, sum, numerator) of exp(score) v, then
  // each host folds its contributors' partials into its own with the online-softmax rescale.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> uni(-3, 3);
  const int64_t units = 5, tiles = 7, ctas = 9;
  const StreamKSpace s = make_stream_k_space(units, tiles, ctas);
  std::vector<double> score(size_t(units * tiles)), value(size_t(units * tiles));
  for (auto& x : score) x = uni(rng);
  for (auto& x : value) x = uni(rng);
  struct State {
    double m = -INFINITY, l = 0, acc = 0;
  };
  auto merge = [](State a, State b) {
    const double m = std::max(a.m, b.m);
    const double wa = std::isinf(a.m) ? 0 : std::exp(a.m - m);
    const double wb = std::isinf(b.m) ? 0 : std::exp(b.m - m);
    return State{m, a.l * wa + b.l * wb, a.acc * wa + b.acc * wb};
  };
  std::vector<State> partial(static_cast<size_t>(ctas));
  std::vector<State> host_own(static_cast<size_t>(units));
  for (int64_t c = ctas - 1; c >= 0; --c)
    for (int64_t u = sk_last_unit(s, c); u >= sk_first_unit(s, c); --u) {
      const StreamKSegment seg = sk_segment(s, c, u);
      State st;
      for (int64_t t = seg.tile_begin; t < seg.tile_end; ++t) {
        const double x = score[size_t(u * tiles + t)];
        st = merge(st, State{x, 1.0, value[size_t(u * tiles + t)]});
      }
      if (seg.is_host)
        host_own[size_t(u)] = st;
      else
        partial[size_t(c)] = st;
    }
  for (int64_t u = 0; u < units; ++u) {
    State st = host_own[size_t(u)];
    for (int64_t c = sk_first_cta(s, u); c < sk_host_cta(s, u); ++c) st = merge(st, partial[size_t(c)]);
    double m = -INFINITY, l = 0, acc = 0;
    for (int64_t t = 0; t < tiles; ++t) m = std::max(m, score[size_t(u * tiles + t)]);
    for (int64_t t = 0; t < tiles; ++t) {
      const double w = std::exp(score[size_t(u * tiles + t)] - m);
      l += w;
      acc += w * value[size_t(u * tiles + t)];
    }
    CHECK(st.acc / st.l == doctest::Approx(acc / l).epsilon(1e-12));
  }
}
