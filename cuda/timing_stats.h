// Summary of repeated timings: median (reported), min and max.
#pragma once

#include <vector>

namespace einsim::gpu {

struct TimingStats {
  double median = 0, min = 0, max = 0;
  int runs = 0;
};

// An empty input gives all zeros. The median of an even count is the mean of the middle two.
TimingStats summarize(std::vector<double> samples);

}  // namespace einsim::gpu
