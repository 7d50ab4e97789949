#include "sim/systemc/engine.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "sim/analytical/model.h"
#include "sim/schedule.h"
#include "sim/spatial.h"
#include "sim/systemc/array_unit.h"
#include "sim/systemc/dram.h"
#include "sim/systemc/fabric.h"
#include "sim/systemc/global_buffer.h"
#include "sim/systemc/kernel.h"
#include "sim/systemc/ticks.h"
#include "sim/systemc/tile_stream.h"

namespace sim::systemc {
namespace {

struct GroupSpan {
    std::int64_t start = 0, end = 0, busy2d = 0, busy1d = 0, dram = 0, buffer = 0;
};

// Plays the groups one after another: a group starts when the previous one has finished.
class Controller : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(Controller);
    Controller(sc_core::sc_module_name name, Fabric& f) : sc_core::sc_module(name), f_(f) {
        spans.resize(f.schedule->groups.size());
        if (f_.trace) track_ = f_.trace->track("groups");
        SC_THREAD(run);
    }
    std::vector<GroupSpan> spans;
    bool completed = false;

private:
    void snapshot(GroupSpan& s, int sign) {
        s.busy2d += sign * f_.units[0].busy;
        s.busy1d += sign * f_.units[1].busy;
        s.dram += sign * f_.dram->busy_ticks();
        s.buffer += sign * f_.buffer->busy_ticks();
    }
    void run() {
        for (std::size_t g = 0; g < f_.schedule->groups.size(); ++g) {
            f_.group = static_cast<int>(g);
            f_.state = std::make_unique<GroupState>(f_.schedule->groups[g], f_.pipeline_depth);
            GroupSpan& s = spans[g];
            s.start = now_ticks();
            snapshot(s, -1);
            f_.group_start.notify(sc_core::SC_ZERO_TIME);
            wait(f_.group_done);
            s.end = now_ticks();
            snapshot(s, +1);
            if (f_.trace) f_.trace->add(track_, f_.trace->name(f_.schedule->groups[g].name), s.start, s.end - s.start);
        }
        f_.over = true;
        f_.group_start.notify(sc_core::SC_ZERO_TIME);
        completed = true;
    }
    Fabric& f_;
    int track_ = 0;
};

} // namespace

Run simulate(const einsum::Cascade& c, const einsum::Shape& s, const mappings::Mapping& m, const arch::SpatialArch& a,
             const mappings::LoopNest& nest, const Options& o) {
    Run run;
    run.analytical = simulate_analytical(c, s, m, a, nest);
    const Schedule sch = build_schedule(c, s, a, m, nest);
    run.trace.clock_mhz = a.clock_mhz;
    run.trace.max_events = o.trace ? o.trace_max_events : 0;

    std::int64_t end_ticks = 0;
    std::array<UnitCounters, 2> units{};
    std::vector<std::int64_t> einsum_busy;
    std::vector<GroupSpan> spans;
    std::int64_t dram_read = 0, dram_write = 0, buf_read = 0, buf_write = 0, dram_busy = 0, buf_busy = 0;
    const auto t0 = std::chrono::steady_clock::now();
    {
        Kernel kernel;
        Fabric f;
        f.schedule = &sch;
        f.pipeline_depth = o.pipeline_depth;
        f.dram_request_bytes = o.dram_request_bytes;
        f.trace = o.trace ? &run.trace : nullptr;
        f.einsum_busy.assign(c.einsums.size(), 0);
        DramTiming timing{a.dram_bandwidth_bytes_per_cycle(), o.dram_latency_ns.value_or(a.dram.latency_ns) * a.clock_mhz / 1000.0, o.dram_burst_bytes, o.dram_channels};
        Dram dram("dram", timing);
        GlobalBuffer buffer("global_buffer", a.global_buffer.bandwidth_bytes_per_cycle, a.global_buffer.banks, a.global_buffer.capacity_bytes);
        f.dram = &dram;
        f.buffer = &buffer;
        ArrayUnit array2d("array2d", mappings::Unit::array2d, f), array1d("array1d", mappings::Unit::array1d, f);
        std::vector<std::unique_ptr<TileStream>> streams;
        f.stream_wake.resize(sch.groups.size());
        for (std::size_t g = 0; g < sch.groups.size(); ++g)
            for (std::size_t k = 0; k < sch.groups[g].streams.size(); ++k) {
                std::string nm = "g" + std::to_string(g) + "_" + (sch.groups[g].streams[k].load ? "load_" : "store_") + std::to_string(k);
                streams.push_back(std::make_unique<TileStream>(nm.c_str(), f, static_cast<int>(g), static_cast<int>(k)));
                f.stream_wake[g].push_back(&streams.back()->wake);
            }
        Controller controller("controller", f);
        sc_core::sc_start();
        if (!controller.completed)
            throw std::logic_error("systemc engine: the schedule of group " + sch.groups[static_cast<std::size_t>(f.group)].name +
                                   " deadlocked at cycle " + std::to_string(to_cycles(now_ticks())));
        end_ticks = now_ticks();
        units = f.units;
        einsum_busy = f.einsum_busy;
        spans = controller.spans;
        dram_read = dram.read_bytes;
        dram_write = dram.write_bytes;
        buf_read = buffer.read_bytes;
        buf_write = buffer.write_bytes;
        dram_busy = dram.busy_ticks();
        buf_busy = buffer.busy_ticks();
        run.events = f.ops + f.transfers;
    }
    run.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    Result& r = run.result;
    r = run.analytical;
    r.engine = "systemc";
    r.cycles = to_cycles(end_ticks);
    r.time_s = r.cycles / (a.clock_mhz * 1e6);
    const double cycles = std::max(r.cycles, 1.0);
    for (auto& u : r.units) u.utilization = u.busy_cycles / cycles;
    for (auto& t : r.traffic) {
        if (t.level == "dram") t = {"dram", dram_read, dram_write};
        if (t.level == "global_buffer") t = {"global_buffer", buf_read, buf_write};
    }
    // Energy: the analytical model's action counts (the same actions happen); static energy over
    // the simulated time.
    r.energy_pj = 0;
    for (auto& e : r.energy) {
        if (e.component == "static") e.energy_pj = a.static_energy_pj_per_cycle() * r.cycles;
        r.energy_pj += e.energy_pj;
    }
    for (auto& e : r.einsums) {
        const einsum::Einsum* ce = c.find_einsum(e.name);
        if (ce) e.cycles = to_cycles(einsum_busy[static_cast<std::size_t>(ce - c.einsums.data())]);
    }
    r.groups.clear();
    for (std::size_t g = 0; g < spans.size(); ++g) {
        GroupStats gs;
        gs.name = sch.groups[g].name;
        gs.cycles = to_cycles(spans[g].end - spans[g].start);
        gs.array2d_cycles = to_cycles(spans[g].busy2d);
        gs.array1d_cycles = to_cycles(spans[g].busy1d);
        gs.dram_cycles = to_cycles(spans[g].dram);
        gs.buffer_cycles = to_cycles(spans[g].buffer);
        const std::pair<double, const char*> terms[] = {
            {gs.array2d_cycles, "array2d"}, {gs.array1d_cycles, "array1d"}, {gs.dram_cycles, "dram"}, {gs.buffer_cycles, "global_buffer"}};
        gs.bound = std::max_element(std::begin(terms), std::end(terms), [](auto x, auto y) { return x.first < y.first; })->second;
        r.groups.push_back(gs);
    }
    r.activity.clear();
    r.stalls.clear();
    const char* unit_names[] = {"array2d", "array1d"};
    for (int u = 0; u < 2; ++u) {
        UnitActivity act;
        act.unit = unit_names[u];
        act.busy_cycles = to_cycles(units[static_cast<std::size_t>(u)].busy);
        for (std::size_t cause = 1; cause < units[static_cast<std::size_t>(u)].stalled.size(); ++cause) {
            double st = to_cycles(units[static_cast<std::size_t>(u)].stalled[cause]);
            if (st <= 0) continue;
            act.stalled_cycles += st;
            r.stalls.push_back({unit_names[u], name(static_cast<Cause>(cause)), st});
        }
        act.idle_cycles = std::max(0.0, r.cycles - act.busy_cycles - act.stalled_cycles);
        r.activity.push_back(act);
    }
    r.activity.push_back({"dram", to_cycles(dram_busy), 0, std::max(0.0, r.cycles - to_cycles(dram_busy))});
    r.activity.push_back({"global_buffer", to_cycles(buf_busy), 0, std::max(0.0, r.cycles - to_cycles(buf_busy))});
    std::stable_sort(r.stalls.begin(), r.stalls.end(), [](const StallRecord& x, const StallRecord& y) { return x.cycles > y.cycles; });
    return run;
}

Run simulate_spatial(const einsum::Cascade& c, const einsum::ShapeBinding& shape, const mappings::Mapping& tmpl, const arch::SpatialArch& a,
                     const std::string& arch_name, const Options& o) {
    SpatialPoint p = prepare_spatial(c, shape, tmpl, a);
    Run run = simulate(c, p.shape, p.mapping, a, p.nest, o);
    run.result.arch = arch_name;
    run.analytical.arch = arch_name;
    return run;
}

std::string explain(const Result& systemc, const Result& analytical, double threshold) {
    if (analytical.cycles <= 0) return "";
    const double diff = (systemc.cycles - analytical.cycles) / analytical.cycles;
    if (std::fabs(diff) <= threshold) return "";
    char head[64];
    std::snprintf(head, sizeof head, "%+.1f%% vs analytical", 100 * diff);
    auto describe = [&](const StallRecord& s) {
        char body[160];
        std::snprintf(body, sizeof body, "%s waits on %s %.4g cycles (%.1f%% of the run)", s.unit.c_str(), s.cause.c_str(), s.cycles,
                      100 * s.cycles / std::max(systemc.cycles, 1.0));
        return std::string(body);
    };
    const StallRecord* largest = systemc.stalls.empty() ? nullptr : &systemc.stalls.front(); // stalls are largest first
    if (diff < 0) {
        // The schedule overlapped more than the model's bounds allow for.
        std::string out = std::string(head) + ": the simulated schedule overlaps transfers and steps more than the analytical bound assumes";
        return largest ? out + " (largest stall: " + describe(*largest) + ")" : out;
    }
    // The root cause: a stall on memory (a tile load, a write-back slot) when it accounts for at least
    // half of the difference, before one array waiting on the other (which a memory stall upstream
    // also causes); otherwise the largest stall.
    const double extra = systemc.cycles - analytical.cycles;
    const StallRecord* memory = nullptr;
    for (const auto& st : systemc.stalls)
        if ((st.cause == "dram" || st.cause == "buffer_space") && (!memory || st.cycles > memory->cycles)) memory = &st;
    const StallRecord* pick = memory && memory->cycles >= 0.5 * extra ? memory : largest;
    if (!pick) return std::string(head) + ": no stall recorded";
    return std::string(head) + ": " + describe(*pick);
}

} // namespace sim::systemc
