// sim::gpu::GpuResult as JSON, and the flat per-point columns GPU CSV rows use.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/gpu/gpu_result.h"

namespace reports {

// Keys: engine ("gpu-sm"), cascade, arch, problem, mapping, decomposition, splits, grid_ctas,
// ctas_per_sm, occupancy_limit, time_us, achieved_gbps, copy_fraction, copy_bandwidth_measured,
// compulsory_bytes, hbm_read_bytes, hbm_write_bytes, useful_flops, issued_mma_flops,
// sm_busy_fraction, binding, phases [{phase, time_us}], kernels [{name, ctas, ctas_per_sm, waves,
// launch_us, span_us, sm_busy_fraction, extrapolated}], waves [{kernel, wave, ctas, start_us,
// end_us}], sm_busy [{sm, ctas, busy_us}].
nlohmann::ordered_json to_json(const sim::gpu::GpuResult& r);

// time_us, achieved_gbps, copy_fraction, binding, decomposition, splits, grid_ctas, ctas_per_sm,
// sm_busy_fraction, hbm_read_bytes, hbm_write_bytes, then one column per phase.
std::vector<std::string> gpu_metric_columns();
std::vector<std::string> gpu_metric_values(const sim::gpu::GpuResult& r);

} // namespace reports
