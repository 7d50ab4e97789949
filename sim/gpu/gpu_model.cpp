#include "sim/gpu/gpu_model.h"

#include <algorithm>
#include <map>

#include "sim/gpu/kernel_plan.h"
#include "sim/gpu/sm_simulator.h"
#include "sim/gpu/work_partition.h"

namespace sim::gpu {

namespace {

constexpr std::size_t max_waves_reported = 64;

// The order phases are listed in: launch, then a CTA's life from start to finish.
const char* const phase_order[] = {"launch",       "cta_start",      "q_load",         "tensor_cores",  "sfu_exp",
                                   "fp32_alu",     "warp_chain",     "sm_load_path",   "memory_latency", "l2_bandwidth",  "hbm_bandwidth",
                                   "warp_merge",   "output_store", "partial_store",  "flag_wait",      "reduction"};

arch::DType dtype_of(std::int64_t element_bytes) {
    if (element_bytes == 1) return arch::DType::fp8;
    if (element_bytes == 4) return arch::DType::tf32;
    return arch::DType::fp16;
}

} // namespace

GpuResult simulate_gpu(const mappings::AttentionProblem& p, const mappings::GpuMapping& m, const arch::GpuArch& g,
                       const std::string& arch_name, const std::string& cascade_name) {
    LaunchPlan plan = plan_launch(p, m, g);
    GpuResult r;
    r.cascade = cascade_name;
    r.arch = arch_name;
    r.problem = p.str();
    r.mapping = mappings::describe(m);
    r.decomposition = mappings::decomposition_text(m);
    r.splits = m.decomposition == mappings::Decomposition::split_k ? m.splits : 1;
    r.occupancy_limit = plan.occupancy_limit;
    r.compulsory_bytes = p.compulsory_bytes();
    r.useful_flops = p.useful_flops();
    r.issued_mma_flops = plan.issued_mma_flops;
    r.copy_bandwidth_measured = g.hbm.copy_bandwidth_measured;
    r.sms.resize(std::size_t(g.sm_count));
    for (std::int64_t sm = 0; sm < g.sm_count; ++sm) r.sms[std::size_t(sm)].sm = sm;

    std::map<std::string, double> phase_s;
    double t = 0, busy_s = 0;
    const double launch_s = g.overheads.launch_latency_us * 1e-6;
    for (std::size_t ki = 0; ki < plan.kernels.size(); ++ki) {
        KernelPlan& k = plan.kernels[ki];
        k.dtype = dtype_of(p.element_bytes);
        KernelRun run = run_kernel(k, g);
        KernelStats ks;
        ks.name = k.name;
        ks.ctas = k.cta_count();
        ks.ctas_per_sm = k.ctas_per_sm;
        ks.waves = wave_count(ks.ctas, k.ctas_per_sm * g.sm_count);
        ks.launch_us = launch_s * 1e6;
        ks.span_us = run.span_s * 1e6;
        ks.extrapolated = run.extrapolated;
        double sm_busy = 0;
        for (std::size_t sm = 0; sm < run.sm_busy_s.size(); ++sm) {
            sm_busy += run.sm_busy_s[sm];
            r.sms[sm].busy_us += run.sm_busy_s[sm] * 1e6;
            r.sms[sm].ctas += run.sm_ctas[sm];
        }
        ks.sm_busy_fraction = run.span_s > 0 ? sm_busy / (run.span_s * double(g.sm_count)) : 0;
        busy_s += sm_busy;
        if (ki == 0) {
            r.grid_ctas = ks.ctas;
            r.ctas_per_sm = ks.ctas_per_sm;
        }
        // The kernel's span, shared among the states in proportion to the CTA-time spent in each.
        t += launch_s;
        phase_s["launch"] += launch_s;
        double cta_total = 0;
        for (const auto& [state, s] : run.cta_seconds) cta_total += s;
        for (const auto& [state, s] : run.cta_seconds)
            if (cta_total > 0) phase_s[state] += run.span_s * s / cta_total;
        for (std::size_t w = 0; w < run.wave_ctas.size() && w < max_waves_reported; ++w)
            r.waves.push_back({k.name, std::int64_t(w), run.wave_ctas[w], (t + run.wave_start_s[w]) * 1e6, (t + run.wave_end_s[w]) * 1e6});
        t += run.span_s;
        r.hbm_read_bytes += k.hbm_read_bytes;
        r.hbm_write_bytes += k.hbm_write_bytes;
        r.kernels.push_back(ks);
    }
    r.time_us = t * 1e6;
    r.achieved_gbps = t > 0 ? double(r.compulsory_bytes) / t / 1e9 : 0;
    r.copy_fraction = r.achieved_gbps / g.hbm.copy_bandwidth_gb_per_s;
    r.sm_busy_fraction = t > 0 ? busy_s / (t * double(g.sm_count)) : 0;
    for (const char* name : phase_order)
        if (phase_s.contains(name)) r.phases.push_back({name, phase_s[name] * 1e6});
    for (const auto& [name, s] : phase_s)
        if (std::none_of(r.phases.begin(), r.phases.end(), [&](const PhaseTime& x) { return x.phase == name; }))
            r.phases.push_back({name, s * 1e6});
    auto top = std::max_element(r.phases.begin(), r.phases.end(), [](const PhaseTime& a, const PhaseTime& b) { return a.time_us < b.time_us; });
    r.binding = top == r.phases.end() ? "" : top->phase;
    return r;
}

} // namespace sim::gpu
