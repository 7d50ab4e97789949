#include "reports/gpu_result_json.h"

#include "reports/table.h"

namespace reports {

namespace {
const char* const phase_columns[] = {"launch",       "cta_start",      "q_load",         "tensor_cores",  "sfu_exp",
                                     "fp32_alu",     "sm_load_path",   "memory_latency", "l2_bandwidth",  "hbm_bandwidth",
                                     "output_store", "partial_store",  "flag_wait",      "reduction"};
}

nlohmann::ordered_json to_json(const sim::gpu::GpuResult& r) {
    nlohmann::ordered_json j;
    j["engine"] = "gpu-sm";
    j["cascade"] = r.cascade;
    j["arch"] = r.arch;
    j["problem"] = r.problem;
    j["mapping"] = r.mapping;
    j["decomposition"] = r.decomposition;
    j["splits"] = r.splits;
    j["grid_ctas"] = r.grid_ctas;
    j["ctas_per_sm"] = r.ctas_per_sm;
    j["occupancy_limit"] = r.occupancy_limit;
    j["time_us"] = r.time_us;
    j["achieved_gbps"] = r.achieved_gbps;
    j["copy_fraction"] = r.copy_fraction;
    j["copy_bandwidth_measured"] = r.copy_bandwidth_measured;
    j["compulsory_bytes"] = r.compulsory_bytes;
    j["hbm_read_bytes"] = r.hbm_read_bytes;
    j["hbm_write_bytes"] = r.hbm_write_bytes;
    j["useful_flops"] = r.useful_flops;
    j["issued_mma_flops"] = r.issued_mma_flops;
    j["sm_busy_fraction"] = r.sm_busy_fraction;
    j["binding"] = r.binding;
    j["phases"] = nlohmann::ordered_json::array();
    for (const auto& p : r.phases) j["phases"].push_back({{"phase", p.phase}, {"time_us", p.time_us}});
    j["kernels"] = nlohmann::ordered_json::array();
    for (const auto& k : r.kernels)
        j["kernels"].push_back({{"name", k.name}, {"ctas", k.ctas}, {"ctas_per_sm", k.ctas_per_sm}, {"waves", k.waves}, {"launch_us", k.launch_us},
                                {"span_us", k.span_us}, {"sm_busy_fraction", k.sm_busy_fraction}, {"extrapolated", k.extrapolated}});
    j["waves"] = nlohmann::ordered_json::array();
    for (const auto& w : r.waves)
        j["waves"].push_back({{"kernel", w.kernel}, {"wave", w.wave}, {"ctas", w.ctas}, {"start_us", w.start_us}, {"end_us", w.end_us}});
    j["sm_busy"] = nlohmann::ordered_json::array();
    for (const auto& s : r.sms) j["sm_busy"].push_back({{"sm", s.sm}, {"ctas", s.ctas}, {"busy_us", s.busy_us}});
    return j;
}

std::vector<std::string> gpu_metric_columns() {
    std::vector<std::string> c = {"time_us",          "achieved_gbps", "copy_fraction",  "binding",        "decomposition", "splits",
                                  "grid_ctas",        "ctas_per_sm",   "sm_busy_fraction", "hbm_read_bytes", "hbm_write_bytes"};
    for (const char* p : phase_columns) c.push_back(std::string(p) + "_us");
    return c;
}

std::vector<std::string> gpu_metric_values(const sim::gpu::GpuResult& r) {
    std::vector<std::string> v = {number(r.time_us),          number(r.achieved_gbps),     number(r.copy_fraction),
                                  r.binding,                  r.decomposition,             std::to_string(r.splits),
                                  std::to_string(r.grid_ctas), std::to_string(r.ctas_per_sm), number(r.sm_busy_fraction),
                                  number(r.hbm_read_bytes),   number(r.hbm_write_bytes)};
    for (const char* p : phase_columns) v.push_back(number(r.phase_us(p)));
    return v;
}

} // namespace reports
