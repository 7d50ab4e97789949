// Off-chip memory as the models see it: a bandwidth. Quoted in GB/s (1e9 bytes per second) as
// datasheets do; the models work per cycle of the unit that consumes it.
#pragma once

namespace arch {

struct Dram {
    double bandwidth_gb_per_s = 0;

    double bandwidth_bytes_per_s() const { return bandwidth_gb_per_s * 1e9; }
    double bandwidth_bytes_per_cycle(double clock_mhz) const { return bandwidth_gb_per_s * 1e9 / (clock_mhz * 1e6); }
    bool operator==(const Dram&) const = default;
};

} // namespace arch
