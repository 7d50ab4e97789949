// Per-CTA phase timestamps of one launch, for breaking a kernel's fixed cost into phases
// (`einsim-gpu run --stamps FILE`). Thread 0 of a CTA records the global timer (ns, comparable
// across SMs) and its SM's clock (cycles, exact within the CTA) at each phase boundary of up to
// kStampSegments segments (a stream-K CTA does one segment per unit it touches).
#pragma once

#include <cstdint>

#include "hd.h"

namespace einsim::gpu {

constexpr int kStampSegments = 4;  // stream-K CTAs at B = 16, G = 1 run 3 (validation/h200-2026-12-01/stamps_g1)
enum StampSlot : int {
  kStampSegmentStart = 0,  // segment begins (Q and the first tiles are issued)
  kStampFirstTile = 1,     // the first K/V tile has landed in shared memory
  kStampTilesDone = 2,     // the last tile's multiply-adds are done
  kStampMerged = 3,        // the warps' states are merged into the CTA's state
  kStampHandoff = 4,       // partial stored and flag raised, or (host) all flags seen
  kStampFolded = 5,        // (host) partials folded into the state
  kStampStored = 6,        // (host) output rows stored
  kStampEntry = 7,         // kernel entry (segment 0 only)
  kStampSlots = 8
};
constexpr const char* kStampSlotNames[kStampSlots] = {
    "segment_start", "first_tile", "tiles_done", "merged",
    "handoff",       "folded",     "stored",     "entry"};

struct PhaseStamp {
  unsigned long long ns = 0;     // %globaltimer; 0 = not reached
  unsigned long long cycles = 0;  // clock64()
};

// Stamps of CTA c, segment s, slot k: stamps[(c * kStampSegments + s) * kStampSlots + k].
EINSIM_HD int64_t stamp_index(int64_t cta, int segment, int slot) {
  return (cta * kStampSegments + segment) * kStampSlots + slot;
}

}  // namespace einsim::gpu
