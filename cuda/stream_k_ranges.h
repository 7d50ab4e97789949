// Stream-K (LeanAttention) work partition: the flattened iteration space of `units` heads
// (one unit = one (b, hkv) pair) times `tiles_per_unit` key tiles is cut into `ctas` contiguous
// ranges whose sizes differ by at most one, the longer ones first (as sim/gpu/work_partition's
// stream_k_ranges). Shared by the kernel and the CPU tests.
#pragma once

#include <cstdint>

#include "hd.h"

namespace einsim::gpu {

struct StreamKSpace {
  int64_t units = 0;           // B * Hkv
  int64_t tiles_per_unit = 0;  // ceil(M / tile_n)
  int64_t ctas = 0;            // grid size, 1 <= ctas <= total() < 2^31
  int64_t base = 0;            // total() / ctas: tiles of the smaller ranges
  int64_t rem = 0;             // total() % ctas: the first `rem` CTAs take one tile more
  EINSIM_HD int64_t total() const { return units * tiles_per_unit; }
};

// The space of `units` x `tiles_per_unit` tiles over `ctas` CTAs (the caller keeps
// 1 <= ctas <= total < 2^31: the kernel divides in 32 bits, since 64-bit divisions cost it
// about a microsecond at every CTA's start; see cuda/NOTES.md).
EINSIM_HD StreamKSpace make_stream_k_space(int64_t units, int64_t tiles_per_unit, int64_t ctas) {
  StreamKSpace s;
  s.units = units;
  s.tiles_per_unit = tiles_per_unit;
  s.ctas = ctas;
  s.base = s.total() / ctas;
  s.rem = s.total() % ctas;
  return s;
}

// First flattened iteration of CTA c (c == ctas gives total()): the first `rem` ranges hold
// base + 1 tiles, the others base.
EINSIM_HD int64_t sk_cta_begin(const StreamKSpace& s, int64_t c) {
  return c * s.base + (c < s.rem ? c : s.rem);
}
EINSIM_HD int64_t sk_cta_end(const StreamKSpace& s, int64_t c) { return sk_cta_begin(s, c + 1); }

// The CTA whose range holds flattened iteration `iter`.
EINSIM_HD int64_t sk_owner_cta(const StreamKSpace& s, int64_t iter) {
  const int64_t big = s.rem * (s.base + 1);  // iterations held by the longer ranges
  if (iter < big) return int64_t(uint32_t(iter) / uint32_t(s.base + 1));
  return s.rem + int64_t(uint32_t(iter - big) / uint32_t(s.base));
}

// The unit of flattened iteration `iter`.
EINSIM_HD int64_t sk_unit_of(const StreamKSpace& s, int64_t iter) {
  return int64_t(uint32_t(iter) / uint32_t(s.tiles_per_unit));
}

// The host CTA of a unit owns its last tile: it reduces the partials of the unit's other
// contributors and writes the output.
EINSIM_HD int64_t sk_host_cta(const StreamKSpace& s, int64_t unit) {
  return sk_owner_cta(s, unit * s.tiles_per_unit + s.tiles_per_unit - 1);
}
EINSIM_HD int64_t sk_first_cta(const StreamKSpace& s, int64_t unit) {
  return sk_owner_cta(s, unit * s.tiles_per_unit);
}

// One CTA's share of one unit: tiles [tile_begin, tile_end) of that unit.
struct StreamKSegment {
  int64_t unit = 0;
  int64_t tile_begin = 0;
  int64_t tile_end = 0;
  bool is_host = false;         // holds the unit's last tile
  int64_t first_contributor = 0;  // lowest CTA with tiles of this unit (== this CTA if none before)
};

// Units touched by CTA c are [sk_first_unit, sk_last_unit], both inclusive.
EINSIM_HD int64_t sk_first_unit(const StreamKSpace& s, int64_t c) {
  return sk_unit_of(s, sk_cta_begin(s, c));
}
EINSIM_HD int64_t sk_last_unit(const StreamKSpace& s, int64_t c) {
  return sk_unit_of(s, sk_cta_end(s, c) - 1);
}

EINSIM_HD StreamKSegment sk_segment(const StreamKSpace& s, int64_t c, int64_t unit) {
  const int64_t unit_begin = unit * s.tiles_per_unit;
  const int64_t unit_end = unit_begin + s.tiles_per_unit;
  const int64_t b = sk_cta_begin(s, c) > unit_begin ? sk_cta_begin(s, c) : unit_begin;
  const int64_t e = sk_cta_end(s, c) < unit_end ? sk_cta_end(s, c) : unit_end;
  StreamKSegment seg;
  seg.unit = unit;
  seg.tile_begin = b - unit_begin;
  seg.tile_end = e - unit_begin;
  seg.is_host = e == unit_end;
  seg.first_contributor = sk_first_cta(s, unit);
  return seg;
}

// A grid of at most `ctas` CTAs, and at least 85% of it, under which every CTA's range lies
// within one unit (its tiles divide a unit's) or covers whole units: then no CTA runs two
// segments (two pipeline fills, two merges) and a unit's hosts wait on equal shares. The
// largest such count, or `ctas` when there is none.
inline int64_t stream_k_snapped_ctas(int64_t units, int64_t tiles_per_unit, int64_t ctas) {
  const int64_t total = units * tiles_per_unit;
  for (int64_t c = ctas; c * 100 >= ctas * 85 && c >= 1; --c) {
    if (total % c) continue;
    const int64_t per_cta = total / c;
    if (tiles_per_unit % per_cta == 0 || per_cta % tiles_per_unit == 0) return c;
  }
  return ctas;
}

}  // namespace einsim::gpu
