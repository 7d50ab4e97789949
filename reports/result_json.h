// sim::Result as JSON, and the flat per-point columns that CSV rows and comparison tables use.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/result.h"

namespace reports {

nlohmann::ordered_json to_json(const sim::Result& r);

// Flat metrics of a result: cycles, time_s, energy_pj, util_2d, util_1d, dram_bytes, ... in a fixed order.
std::vector<std::string> metric_columns();
std::vector<std::string> metric_values(const sim::Result& r);

} // namespace reports
