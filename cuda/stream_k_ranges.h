// Stream-K (LeanAttention) work partition: the flattened iteration space of `units` heads
// (one unit = one (b, hkv) pair) times `tiles_per_unit` key tiles is cut into `ctas` contiguous
// ranges whose sizes differ by at most one. Shared by the kernel and the CPU tests.
#pragma once

#include <cstdint>

#include "hd.h"

namespace einsim::gpu {

struct StreamKSpace {
  int64_t units = 0;           // B * Hkv
  int64_t tiles_per_unit = 0;  // ceil(M / tile_n)
  int64_t ctas = 0;            // grid size, 1 <= ctas <= total()
  EINSIM_HD int64_t total() const { return units * tiles_per_unit; }
};

// First flattened iteration of CTA c (c == ctas gives total()): floor(c * total / ctas).
EINSIM_HD int64_t sk_cta_begin(const StreamKSpace& s, int64_t c) { return c * s.total() / s.ctas; }
EINSIM_HD int64_t sk_cta_end(const StreamKSpace& s, int64_t c) { return sk_cta_begin(s, c + 1); }

// The CTA whose range holds flattened iteration `iter`: the largest c with begin(c) <= iter,
// i.e. c * total < (iter + 1) * ctas.
EINSIM_HD int64_t sk_owner_cta(const StreamKSpace& s, int64_t iter) {
  return ((iter + 1) * s.ctas - 1) / s.total();
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
  return sk_cta_begin(s, c) / s.tiles_per_unit;
}
EINSIM_HD int64_t sk_last_unit(const StreamKSpace& s, int64_t c) {
  return (sk_cta_end(s, c) - 1) / s.tiles_per_unit;
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

}  // namespace einsim::gpu
