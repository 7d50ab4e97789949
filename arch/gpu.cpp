#include "arch/gpu.h"

#include <string>

#include "arch/schema.h"

namespace arch {

using schema::Bound;

std::optional<double> GpuArch::peak_tensor_flops_per_s(DType dtype) const {
    auto it = sm.tensor_flops_per_cycle.find(dtype);
    if (it == sm.tensor_flops_per_cycle.end()) return std::nullopt;
    return it->second * double(sm_count) * tensor_clock_mhz * 1e6;
}

void describe(schema::FieldVisitor& v, GpuSm& s) {
    schema::keyed_table(v, "tensor_flops_per_cycle", s.tensor_flops_per_cycle, dtype_names, "number format",
                        Bound::positive, false);
    schema::keyed_table(v, "mma_sync_tflops", s.mma_sync_tflops, dtype_names, "number format", Bound::positive, true);
    v.boolean("mma_sync_measured", s.mma_sync_measured);
    v.number("fp32_flops_per_cycle", s.fp32_flops_per_cycle, Bound::positive);
    v.number("sfu_exp_per_cycle", s.sfu_exp_per_cycle, Bound::positive);
    v.integer("shared_memory_bytes", s.shared_memory_bytes, Bound::positive);
    v.integer("shared_memory_bytes_per_block", s.shared_memory_bytes_per_block, Bound::positive);
    v.integer("registers_32bit", s.registers_32bit, Bound::positive);
    v.integer("max_ctas", s.max_ctas, Bound::positive);
    v.integer("max_threads", s.max_threads, Bound::positive);
    v.number("warp_tile_chain_cycles", s.warp_tile_chain_cycles, Bound::non_negative);
    v.number("warp_chain_cycles_per_kib", s.warp_chain_cycles_per_kib, Bound::non_negative);
    v.boolean("warp_chain_fitted", s.warp_chain_fitted);
    v.integer("warp_schedulers", s.warp_schedulers, Bound::positive);
    v.check(s.shared_memory_bytes_per_block <= s.shared_memory_bytes, "shared_memory_bytes_per_block", [&] {
        return "a block cannot have more shared memory (" + std::to_string(s.shared_memory_bytes_per_block) +
               ") than its SM (" + std::to_string(s.shared_memory_bytes) + ")";
    });
}

void describe(schema::FieldVisitor& v, GpuL2& l) {
    v.integer("capacity_bytes", l.capacity_bytes, Bound::positive);
    v.number("bandwidth_bytes_per_cycle", l.bandwidth_bytes_per_cycle, Bound::positive);
    v.boolean("bandwidth_measured", l.bandwidth_measured);
}

void describe(schema::FieldVisitor& v, GpuHbm& h) {
    v.integer("capacity_bytes", h.capacity_bytes, Bound::positive);
    v.number("datasheet_bandwidth_gb_per_s", h.datasheet_bandwidth_gb_per_s, Bound::positive);
    v.number("copy_bandwidth_gb_per_s", h.copy_bandwidth_gb_per_s, Bound::positive);
    v.boolean("copy_bandwidth_measured", h.copy_bandwidth_measured);
    v.number("read_bandwidth_gb_per_s", h.read_bandwidth_gb_per_s, Bound::positive);
    v.boolean("read_bandwidth_measured", h.read_bandwidth_measured);
    v.check(h.copy_bandwidth_gb_per_s <= h.datasheet_bandwidth_gb_per_s, "copy_bandwidth_gb_per_s", [&] {
        return "a copy cannot beat the datasheet peak of " + std::to_string(h.datasheet_bandwidth_gb_per_s) + " GB/s";
    });
    v.check(h.read_bandwidth_gb_per_s <= h.datasheet_bandwidth_gb_per_s, "read_bandwidth_gb_per_s", [&] {
        return "reads cannot beat the datasheet peak of " + std::to_string(h.datasheet_bandwidth_gb_per_s) + " GB/s";
    });
}

void describe(schema::FieldVisitor& v, GpuOverheads& o) {
    v.number("launch_latency_us", o.launch_latency_us, Bound::non_negative);
    v.number("cta_start_ns", o.cta_start_ns, Bound::non_negative);
    v.number("dram_latency_ns", o.dram_latency_ns, Bound::positive);
    v.boolean("measured", o.measured);
}

std::int64_t GpuClusters::co_resident(std::int64_t ctas, std::int64_t ctas_per_sm) const {
    if (ctas < 1 || ctas > max_ctas || ctas_per_sm < 1) return 0;
    std::int64_t n = 0;
    for (std::int64_t sms : gpc_sms) n += sms * ctas_per_sm / ctas;
    return n;
}

void describe(schema::FieldVisitor& v, GpuClusters& c) {
    v.integer("max_ctas", c.max_ctas, Bound::non_negative);
    v.integer_list("gpc_sms", c.gpc_sms, Bound::positive, true);
    v.number("dsmem_latency_ns", c.dsmem_latency_ns, Bound::non_negative);
    v.boolean("measured", c.measured);
    v.check(c.max_ctas == 0 || !c.gpc_sms.empty(), "gpc_sms", [] { return std::string("clusters need the SMs of each GPC"); });
    v.check(c.max_ctas == 0 || c.dsmem_latency_ns > 0, "dsmem_latency_ns",
            [] { return std::string("must be > 0 where clusters exist (max_ctas > 0)"); });
}

void describe(schema::FieldVisitor& v, GpuArch& g) {
    v.integer("sm_count", g.sm_count, Bound::positive);
    v.number("boost_clock_mhz", g.boost_clock_mhz, Bound::positive);
    v.number("tensor_clock_mhz", g.tensor_clock_mhz, Bound::positive);
    v.number("tdp_w", g.tdp_w, Bound::positive);
    schema::sub_table(v, "sm", g.sm);
    schema::sub_table(v, "l2", g.l2);
    schema::sub_table(v, "hbm", g.hbm);
    schema::sub_table(v, "overheads", g.overheads);
    schema::sub_table(v, "clusters", g.clusters);
    // The SM simulator keeps per-SM state: a count no GPU has (1e12 SMs) would exhaust memory.
    constexpr std::int64_t most_sms = 4096;
    v.check(g.sm_count <= most_sms, "sm_count", [&] { return "at most " + std::to_string(most_sms) + " SMs, got " + std::to_string(g.sm_count); });
    std::int64_t gpc_total = 0;
    for (std::int64_t s : g.clusters.gpc_sms) gpc_total += s;
    v.check(g.clusters.gpc_sms.empty() || gpc_total == g.sm_count, "clusters.gpc_sms", [&] {
        return "the GPCs hold " + std::to_string(gpc_total) + " SMs, sm_count is " + std::to_string(g.sm_count);
    });
    v.check(g.tensor_clock_mhz <= g.boost_clock_mhz, "tensor_clock_mhz",
            [] { return std::string("cannot exceed boost_clock_mhz"); });
}

} // namespace arch
