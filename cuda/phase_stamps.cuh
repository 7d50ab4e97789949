// Device side of phase_stamps.h: a no-op unless the launch was given a stamp buffer.
#pragma once

#include "phase_stamps.h"

namespace einsim::gpu {

// `seg_base`: this CTA's stamps of one segment (nullptr: not recording).
__device__ __forceinline__ void phase_stamp(PhaseStamp* seg_base, int slot) {
  if (seg_base == nullptr || threadIdx.x != 0) return;
  unsigned long long ns;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(ns));
  seg_base[slot].ns = ns;
  seg_base[slot].cycles = static_cast<unsigned long long>(clock64());
}

__device__ __forceinline__ PhaseStamp* phase_stamp_base(PhaseStamp* all, int64_t cta, int segment) {
  if (all == nullptr || segment >= kStampSegments) return nullptr;
  return all + stamp_index(cta, segment, 0);
}

}  // namespace einsim::gpu
