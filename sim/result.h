// What a model says about one (cascade, shape, architecture, mapping) point: time, how busy every
// unit was, bytes per memory level and energy by component — per Einsum and in total.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sim {

struct UnitStats {
    std::string unit;          // array2d, array1d
    double busy_cycles = 0;    // PE- or lane-cycles doing useful work ÷ PEs or lanes
    double utilization = 0;    // busy ÷ total cycles
    bool operator==(const UnitStats&) const = default;
};

struct LevelTraffic {
    std::string level;         // dram, global_buffer, rf
    std::int64_t read_bytes = 0;
    std::int64_t write_bytes = 0;
    bool operator==(const LevelTraffic&) const = default;
};

struct EnergyItem {
    std::string component;     // array2d, array1d, rf, global_buffer, dram, static
    double energy_pj = 0;
    bool operator==(const EnergyItem&) const = default;
};

struct EinsumStats {
    std::string name;
    std::string unit;
    int group = 0;
    std::int64_t points = 0;
    std::int64_t macs = 0;
    double cycles = 0;              // cycles its unit spends on it
    double spatial_utilization = 0; // fraction of the unit's PEs or lanes its steps occupy
    double energy_pj = 0;           // compute and register-file energy
    bool operator==(const EinsumStats&) const = default;
};

struct GroupStats {
    std::string name;
    double cycles = 0;
    std::string bound;              // what limits it: array2d, array1d, dram, global_buffer
    double array2d_cycles = 0, array1d_cycles = 0, dram_cycles = 0, buffer_cycles = 0;
    bool operator==(const GroupStats&) const = default;
};

// Where a unit's cycles went, from an engine that plays the schedule out in time (systemc): running
// a tile operation or transfer, waiting with work pending (stalls, by cause), or with nothing to do.
struct StallRecord {
    std::string unit;          // array2d, array1d
    std::string cause;         // dram (a tile load), array2d / array1d (the other array: its result or
                               // room in the pipeline between them), buffer_space (a write-back slot)
    double cycles = 0;
    bool operator==(const StallRecord&) const = default;
};

struct UnitActivity {
    std::string unit;          // array2d, array1d, dram, global_buffer
    double busy_cycles = 0;    // occupied (tile operations, or transfers for memories), spatial folds included
    double stalled_cycles = 0; // work pending but blocked: the sum of the unit's StallRecords
    double idle_cycles = 0;    // nothing to do
    bool operator==(const UnitActivity&) const = default;
};

struct Result {
    std::string engine;             // analytical, systemc
    std::string cascade, arch, mapping, shape;
    double cycles = 0;
    double time_s = 0;
    double energy_pj = 0;
    std::int64_t buffer_bytes_required = 0;
    std::int64_t macs = 0;
    std::vector<UnitStats> units;
    std::vector<LevelTraffic> traffic;
    std::vector<EnergyItem> energy;
    std::vector<EinsumStats> einsums;
    std::vector<GroupStats> groups;
    std::vector<UnitActivity> activity; // timed engines only (empty from the analytical model)
    std::vector<StallRecord> stalls;    // timed engines only, largest first

    double utilization(const std::string& unit) const {
        for (const auto& u : units)
            if (u.unit == unit) return u.utilization;
        return 0;
    }
    std::int64_t bytes(const std::string& level) const { // read + write
        for (const auto& t : traffic)
            if (t.level == level) return t.read_bytes + t.write_bytes;
        return 0;
    }
    double energy_of(const std::string& component) const {
        for (const auto& e : energy)
            if (e.component == component) return e.energy_pj;
        return 0;
    }
    bool operator==(const Result&) const = default;
};

} // namespace sim
