#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cuda/stamps_csv.h"

using namespace einsim::gpu;

TEST_CASE("phase stamps CSV: ns from the earliest entry, cycles from the CTA's own entry") {
  const int64_t grid = 2;
  std::vector<PhaseStamp> s(size_t(grid * kStampSegments * kStampSlots));
  auto at = [&](int64_t cta, int seg, int slot) -> PhaseStamp& {
    return s[size_t(stamp_index(cta, seg, slot))];
  };
  // CTA 0 enters at 1000 ns (clock 50), CTA 1 at 1064 ns (its SM's clock at 7000).
  at(0, 0, kStampEntry) = {1000, 50};
  at(0, 0, kStampSegmentStart) = {1032, 110};
  at(0, 0, kStampStored) = {3000, 4000};
  at(1, 0, kStampEntry) = {1064, 7000};
  at(1, 1, kStampFirstTile) = {2500, 9700};  // a second segment
  const std::string rows = format_stamp_rows("j", s, grid, 0.0125);
  CHECK(std::string(stamps_csv_header()) == "job_id,cta,segment,phase,ns,cycles");
  CHECK(rows ==
        "j,-1,0,event,12500,0\n"
        "j,0,0,segment_start,32,60\n"
        "j,0,0,stored,2000,3950\n"
        "j,0,0,entry,0,0\n"
        "j,1,0,entry,64,0\n"
        "j,1,1,first_tile,1500,2700\n");
}

TEST_CASE("phase stamps CSV: phases not reached get no row") {
  std::vector<PhaseStamp> s(size_t(3 * kStampSegments * kStampSlots));
  s[size_t(stamp_index(1, 0, kStampEntry))] = {500, 9};
  const std::string rows = format_stamp_rows("x", s, 3, 1.0);
  CHECK(rows == "x,-1,0,event,1000000,0\nx,1,0,entry,0,0\n");
}
