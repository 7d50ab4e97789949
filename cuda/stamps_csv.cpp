#include "stamps_csv.h"

#include <algorithm>
#include <sstream>

namespace einsim::gpu {

const char* stamps_csv_header() { return "job_id,cta,segment,phase,ns,cycles"; }

std::string format_stamp_rows(const std::string& job_id, const std::vector<PhaseStamp>& stamps,
                              int64_t grid, double event_ms) {
  unsigned long long t0 = ~0ull;
  for (int64_t c = 0; c < grid; ++c) {
    const PhaseStamp& e = stamps[size_t(stamp_index(c, 0, kStampEntry))];
    if (e.ns) t0 = std::min(t0, e.ns);
  }
  std::ostringstream out;
  out << job_id << ",-1,0,event," << static_cast<long long>(event_ms * 1e6 + 0.5) << ",0\n";
  for (int64_t c = 0; c < grid; ++c) {
    const unsigned long long c0 = stamps[size_t(stamp_index(c, 0, kStampEntry))].cycles;
    for (int seg = 0; seg < kStampSegments; ++seg)
      for (int slot = 0; slot < kStampSlots; ++slot) {
        const PhaseStamp& x = stamps[size_t(stamp_index(c, seg, slot))];
        if (!x.ns) continue;
        out << job_id << "," << c << "," << seg << "," << kStampSlotNames[slot] << ","
            << static_cast<long long>(x.ns - t0) << ","
            << static_cast<long long>(x.cycles - c0) << "\n";
      }
  }
  return out.str();
}

}  // namespace einsim::gpu
