// The sparsity–error trade-off of a θ × W sweep as a standalone SVG: two panels against the
// threshold θ, delta sparsity and skipped multiply-adds (%) on the left and the maximum relative
// output error (log scale) on the right, one colour per window W. Plain SVG, no scripts or fonts.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace cli {

struct SweepPoint {
    double theta = 0;
    std::int64_t window = 0;
    double sparsity = 0;       // fraction
    double mac_skip_fraction = 0;
    double max_rel_error = 0;
};

std::string sparsity_svg(const std::vector<SweepPoint>& points, const std::string& title);

} // namespace cli
