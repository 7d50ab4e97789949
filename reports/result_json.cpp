#include "reports/result_json.h"

#include "reports/table.h"

namespace reports {

nlohmann::ordered_json to_json(const sim::Result& r) {
    nlohmann::ordered_json j{{"engine", r.engine}, {"cascade", r.cascade}, {"arch", r.arch}, {"mapping", r.mapping}, {"shape", r.shape},
                             {"cycles", r.cycles}, {"time_s", r.time_s}, {"energy_pj", r.energy_pj},
                             {"buffer_bytes_required", r.buffer_bytes_required}, {"macs", r.macs}};
    for (const auto& u : r.units) j["units"].push_back({{"unit", u.unit}, {"busy_cycles", u.busy_cycles}, {"utilization", u.utilization}});
    for (const auto& t : r.traffic) j["traffic"].push_back({{"level", t.level}, {"read_bytes", t.read_bytes}, {"write_bytes", t.write_bytes}});
    for (const auto& e : r.energy) j["energy"].push_back({{"component", e.component}, {"energy_pj", e.energy_pj}});
    for (const auto& g : r.groups)
        j["groups"].push_back({{"name", g.name}, {"cycles", g.cycles}, {"bound", g.bound}, {"array2d_cycles", g.array2d_cycles},
                               {"array1d_cycles", g.array1d_cycles}, {"dram_cycles", g.dram_cycles}, {"buffer_cycles", g.buffer_cycles}});
    for (const auto& e : r.einsums)
        j["einsums"].push_back({{"name", e.name}, {"unit", e.unit}, {"group", e.group}, {"points", e.points}, {"macs", e.macs},
                                {"cycles", e.cycles}, {"spatial_utilization", e.spatial_utilization}, {"energy_pj", e.energy_pj}});
    // Timed engines: where each unit's cycles went, and the stalls by cause.
    for (const auto& a : r.activity)
        j["activity"].push_back({{"unit", a.unit}, {"busy_cycles", a.busy_cycles}, {"stalled_cycles", a.stalled_cycles}, {"idle_cycles", a.idle_cycles}});
    for (const auto& s : r.stalls) j["stalls"].push_back({{"unit", s.unit}, {"cause", s.cause}, {"cycles", s.cycles}});
    return j;
}

std::vector<std::string> metric_columns() {
    return {"cycles", "time_s", "energy_pj", "util_2d", "util_1d", "dram_bytes", "dram_read_bytes", "dram_write_bytes",
            "buffer_bytes", "buffer_bytes_required", "macs", "energy_array2d_pj", "energy_array1d_pj", "energy_rf_pj",
            "energy_buffer_pj", "energy_dram_pj", "energy_static_pj", "bound"};
}

std::vector<std::string> metric_values(const sim::Result& r) {
    std::int64_t dr = 0, dw = 0;
    for (const auto& t : r.traffic)
        if (t.level == "dram") { dr = t.read_bytes; dw = t.write_bytes; }
    std::string bound;
    double longest = -1;
    for (const auto& g : r.groups)
        if (g.cycles > longest) { longest = g.cycles; bound = g.bound; }
    return {number(r.cycles), number(r.time_s), number(r.energy_pj), number(r.utilization("array2d")), number(r.utilization("array1d")),
            std::to_string(dr + dw), std::to_string(dr), std::to_string(dw), std::to_string(r.bytes("global_buffer")),
            std::to_string(r.buffer_bytes_required), std::to_string(r.macs), number(r.energy_of("array2d")), number(r.energy_of("array1d")),
            number(r.energy_of("rf")), number(r.energy_of("global_buffer")), number(r.energy_of("dram")), number(r.energy_of("static")), bound};
}

} // namespace reports
