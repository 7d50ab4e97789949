#include "sim/analytical/model_plan.h"

#include <algorithm>

namespace sim {
namespace {

double op_energy(const std::map<arch::Op, double>& table, const std::string& op) {
    auto parsed = arch::parse_op(op);
    if (!parsed) return 0;
    auto it = table.find(*parsed);
    return it == table.end() ? 0.0 : it->second;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

} // namespace

ModelPlan compile_model(const einsum::Cascade& c, const mappings::Mapping& m, const std::vector<mappings::Unit>& units,
                        const arch::SpatialArch& a) {
    ModelPlan p;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const bool two_d = units[i] == mappings::Unit::array2d;
        ModelPlan::Einsum pe;
        pe.name = c.einsums[i].name;
        pe.unit = units[i];
        pe.rows = two_d ? a.array2d.rows : a.array1d.lanes;
        pe.cols = two_d ? a.array2d.cols : 1;
        pe.work = point_work(c.einsums[i], units[i], a);
        for (const auto& [op, count] : pe.work.ops) pe.op_pj.push_back(op_energy(two_d ? a.energy.array2d_op_pj : a.energy.array1d_op_pj, op));
        p.einsums.push_back(std::move(pe));
    }
    for (const auto& g : m.groups) p.groups.push_back({g.name, g.double_buffer});
    p.dram_bytes_per_cycle = a.dram_bandwidth_bytes_per_cycle();
    p.dram_latency_cycles = a.dram.latency_cycles(a.clock_mhz);
    p.buffer_bytes_per_cycle = a.global_buffer.bandwidth_bytes_per_cycle;
    p.clock_mhz = a.clock_mhz;
    p.static_pj_per_cycle = a.static_energy_pj_per_cycle();
    p.energy = a.energy;
    return p;
}

mappings::Cost run_model(const ModelPlan& p, const mappings::NestNumbers& n, const mappings::Overlap* overlap, ModelScratch& scratch,
                         Result* out) {
    const double bytes = static_cast<double>(n.element_bytes);
    const std::size_t groups = p.groups.size();
    scratch.cycles_2d.assign(groups, 0);
    scratch.cycles_1d.assign(groups, 0);
    scratch.unit_wait_2d.assign(groups, 0);
    scratch.unit_wait_1d.assign(groups, 0);
    scratch.dram_bytes.assign(groups, 0);
    scratch.buffer_bytes.assign(groups, 0);
    const arch::SpatialEnergy& pj = p.energy;

    // Every Einsum on its unit: steps × spatial folds × time per step.
    double busy2d = 0, busy1d = 0, e2d = 0, e1d = 0, rf_read = 0, rf_write = 0;
    for (std::size_t i = 0; i < p.einsums.size(); ++i) {
        const ModelPlan::Einsum& pe = p.einsums[i];
        const mappings::NestNumbers::Einsum& en = n.einsums[i];
        const PointWork& w = pe.work;
        const bool two_d = pe.unit == mappings::Unit::array2d;
        const std::int64_t folds = ceil_div(en.rows_extent, pe.rows) * ceil_div(en.cols_extent, pe.cols);
        const double points = static_cast<double>(en.points);
        double cycles = static_cast<double>(en.steps) * static_cast<double>(folds) * static_cast<double>(en.inner_extent) * w.unit_cycles;
        double busy = points * w.unit_cycles / static_cast<double>(pe.rows * pe.cols);
        double compute_pj = 0;
        if (w.mac) compute_pj = points * pj.mac_pj;
        for (std::size_t k = 0; k < w.ops.size(); ++k) compute_pj += points * w.ops[k].second * pe.op_pj[k];
        double reads = points * (w.mac ? 2 : w.operands) * bytes;
        double writes = points * bytes;
        rf_read += reads;
        rf_write += writes;
        (two_d ? e2d : e1d) += compute_pj;
        (two_d ? busy2d : busy1d) += busy;
        (two_d ? scratch.cycles_2d : scratch.cycles_1d)[en.group] += cycles;
        // A step reads and writes its tiles in the global buffer: it takes at least that long.
        const double buffer_time = static_cast<double>(en.buffer_read_bytes + en.buffer_write_bytes) / p.buffer_bytes_per_cycle;
        const double steps = std::max(cycles, buffer_time);
        double phase = steps;
        if (en.stream_transfers > 0) {
            // An Einsum streaming a tensor through its own loops overlaps those tiles with its own
            // steps only, and a double buffer keeps two in flight: each tile's turnaround (its steps,
            // its transfer, the DRAM latency) is shared by two (Little's law).
            const double stream = static_cast<double>(en.stream_dram_bytes) / p.dram_bytes_per_cycle;
            const double turnaround = steps + stream + static_cast<double>(en.stream_transfers) * p.dram_latency_cycles;
            phase = p.groups[en.group].double_buffer ? std::max({steps, stream, turnaround / 2}) : turnaround;
        }
        (two_d ? scratch.unit_wait_2d : scratch.unit_wait_1d)[en.group] += phase - cycles;
        if (out) {
            EinsumStats es;
            es.name = pe.name;
            es.unit = mappings::name(pe.unit);
            es.group = en.group;
            es.points = en.points;
            es.macs = w.mac ? en.points : 0;
            es.cycles = steps;
            es.spatial_utilization = static_cast<double>(en.rows_extent * en.cols_extent) / static_cast<double>(folds * pe.rows * pe.cols);
            es.energy_pj = compute_pj + reads * pj.rf_read_pj_per_byte + writes * pj.rf_write_pj_per_byte;
            out->macs += es.macs;
            out->einsums.push_back(es);
        }
    }

    // Every group: its units in a pipeline or one after another, memory overlapped when double-buffered.
    std::int64_t dram_r = 0, dram_w = 0, buf_r = 0, buf_w = 0;
    scratch.longest_stream_cycles.assign(groups, 0);
    scratch.first_fill_bytes.assign(groups, 0);
    scratch.last_write_bytes.assign(groups, 0);
    scratch.most_fills.assign(groups, 0);
    for (const auto& t : n.tensors) {
        if (t.transfers > 0 && !t.streamed) {
            const double moved = static_cast<double>(t.dram_read_bytes + t.dram_write_bytes);
            const double span = moved / p.dram_bytes_per_cycle + static_cast<double>(t.transfers) * p.dram_latency_cycles;
            scratch.longest_stream_cycles[t.group] = std::max(scratch.longest_stream_cycles[t.group], span);
            (t.dram_read_bytes > 0 ? scratch.first_fill_bytes : scratch.last_write_bytes)[t.group] += moved / static_cast<double>(t.transfers);
            if (t.dram_read_bytes > 0) scratch.most_fills[t.group] = std::max(scratch.most_fills[t.group], t.transfers);
        }
        scratch.dram_bytes[t.group] += t.dram_read_bytes + t.dram_write_bytes;
        scratch.buffer_bytes[t.group] += t.buffer_read_bytes + t.buffer_write_bytes;
        dram_r += t.dram_read_bytes;
        dram_w += t.dram_write_bytes;
        buf_r += t.buffer_read_bytes;
        buf_w += t.buffer_write_bytes;
    }
    double total_cycles = 0;
    for (std::size_t g = 0; g < groups; ++g) {
        const double array2d = scratch.cycles_2d[g], array1d = scratch.cycles_1d[g];
        const double unit2d = array2d + scratch.unit_wait_2d[g], unit1d = array1d + scratch.unit_wait_1d[g];
        const double dram_cycles = static_cast<double>(scratch.dram_bytes[g]) / p.dram_bytes_per_cycle;
        const double buffer_cycles = static_cast<double>(scratch.buffer_bytes[g]) / p.buffer_bytes_per_cycle;
        double compute;
        if (overlap[g] == mappings::Overlap::pipeline) {
            // Units work on consecutive iterations at once; the first iteration fills the pipeline.
            double iters = static_cast<double>(std::max<std::int64_t>(1, n.group_iterations[g]));
            double slow = std::max(unit2d, unit1d);
            double fill = (unit2d + unit1d - slow) / iters;
            compute = slow + fill;
        } else {
            compute = unit2d + unit1d;
        }
        // Transfers overlap with the steps, as many tiles of a tensor in flight as its buffer has
        // slots (two when double-buffered, else one): a tensor's turnarounds bound the group too (its
        // tiles' transfers and latencies, and the steps that use them, shared by the slots). The
        // first fills come before the first step, the last write-backs after the last one; when DRAM
        // is the bottleneck, the steps that use the last fill still follow it.
        const double slots = p.groups[g].double_buffer ? 2 : 1;
        const double lat = p.dram_latency_cycles;
        const bool fills = scratch.first_fill_bytes[g] > 0, writes = scratch.last_write_bytes[g] > 0;
        const double prologue = fills ? scratch.first_fill_bytes[g] / p.dram_bytes_per_cycle + lat : 0;
        const double epilogue = writes ? scratch.last_write_bytes[g] / p.dram_bytes_per_cycle + lat : 0;
        const double after_last_fill = fills ? compute / static_cast<double>(scratch.most_fills[g]) + lat : 0;
        const double dram_bound = dram_cycles + after_last_fill + (writes ? lat : 0);
        const double turnarounds = (compute + scratch.longest_stream_cycles[g]) / slots + epilogue;
        const double cycles = std::max({compute + prologue + epilogue, dram_bound, buffer_cycles, turnarounds});
        total_cycles += cycles;
        if (out) {
            GroupStats gs;
            gs.name = p.groups[g].name;
            gs.array2d_cycles = array2d;
            gs.array1d_cycles = array1d;
            gs.dram_cycles = dram_cycles;
            gs.buffer_cycles = buffer_cycles;
            gs.cycles = cycles;
            const std::pair<double, const char*> terms[] = {{array2d, "array2d"}, {array1d, "array1d"}, {dram_cycles, "dram"}, {buffer_cycles, "global_buffer"}};
            gs.bound = std::max_element(std::begin(terms), std::end(terms), [](auto x, auto y) { return x.first < y.first; })->second;
            out->groups.push_back(gs);
        }
    }

    // Energy = Σ action counts × energy per action, summed in the order the Result lists them.
    const double rf_pj = rf_read * pj.rf_read_pj_per_byte + rf_write * pj.rf_write_pj_per_byte;
    const double buffer_pj = static_cast<double>(buf_r) * pj.buffer_read_pj_per_byte + static_cast<double>(buf_w) * pj.buffer_write_pj_per_byte;
    const double dram_pj = static_cast<double>(dram_r) * pj.dram_read_pj_per_byte + static_cast<double>(dram_w) * pj.dram_write_pj_per_byte;
    const double static_pj = p.static_pj_per_cycle * total_cycles;
    double energy_pj = 0;
    for (double e : {e2d, e1d, rf_pj, buffer_pj, dram_pj, static_pj}) energy_pj += e;
    if (out) {
        out->cycles = total_cycles;
        out->time_s = total_cycles / (p.clock_mhz * 1e6);
        out->buffer_bytes_required = 0;
        for (auto b : n.group_buffer_bytes) out->buffer_bytes_required = std::max(out->buffer_bytes_required, b);
        const double cycles = std::max(total_cycles, 1.0);
        out->units.push_back({"array2d", busy2d, busy2d / cycles});
        out->units.push_back({"array1d", busy1d, busy1d / cycles});
        out->traffic.push_back({"dram", dram_r, dram_w});
        out->traffic.push_back({"global_buffer", buf_r, buf_w});
        out->traffic.push_back({"rf", static_cast<std::int64_t>(rf_read), static_cast<std::int64_t>(rf_write)});
        out->energy.push_back({"array2d", e2d});
        out->energy.push_back({"array1d", e1d});
        out->energy.push_back({"rf", rf_pj});
        out->energy.push_back({"global_buffer", buffer_pj});
        out->energy.push_back({"dram", dram_pj});
        out->energy.push_back({"static", static_pj});
        out->energy_pj = energy_pj;
    }
    return {total_cycles, energy_pj};
}

} // namespace sim
