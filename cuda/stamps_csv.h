// The --stamps CSV of einsim-gpu (phase_stamps.h): one row per CTA, segment and phase reached, ns
// relative to the launch's earliest kernel entry (comparable across SMs), cycles relative to the
// CTA's own entry (its SM's clock), and a first row with cta -1 and phase "event" holding the
// launch's CUDA-event time in ns.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "phase_stamps.h"

namespace einsim::gpu {

const char* stamps_csv_header();  // job_id,cta,segment,phase,ns,cycles

// `stamps` holds grid x kStampSegments x kStampSlots entries (stamp_index); a zero ns is a phase
// not reached and gets no row.
std::string format_stamp_rows(const std::string& job_id, const std::vector<PhaseStamp>& stamps,
                              int64_t grid, double event_ms);

}  // namespace einsim::gpu
