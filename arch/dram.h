// Off-chip memory as the models see it: a bandwidth and the latency from a request to its first
// data. Bandwidth is quoted in GB/s (1e9 bytes per second) as datasheets do; the models work per
// cycle of the unit that consumes it. The latency matters where a double-buffered stream keeps only
// a tile or two in flight (Little's law): then each tile's turnaround, not the bandwidth, sets the pace.
#pragma once

namespace arch {

struct Dram {
    double bandwidth_gb_per_s = 0;
    double latency_ns = 0;

    double bandwidth_bytes_per_s() const { return bandwidth_gb_per_s * 1e9; }
    double bandwidth_bytes_per_cycle(double clock_mhz) const { return bandwidth_gb_per_s * 1e9 / (clock_mhz * 1e6); }
    double latency_cycles(double clock_mhz) const { return latency_ns * clock_mhz / 1000.0; }
    bool operator==(const Dram&) const = default;
};

} // namespace arch
