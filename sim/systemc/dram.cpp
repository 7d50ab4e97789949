#include "sim/systemc/dram.h"

#include <algorithm>

#include "sim/systemc/ticks.h"

namespace sim::systemc {

Dram::Dram(sc_core::sc_module_name name, const DramTiming& t)
    : sc_core::sc_module(name), t_(t), free_(static_cast<std::size_t>(std::max(1, t.channels)), 0) {
    t_.channels = std::max(1, t_.channels);
    t_.burst_bytes = std::max<std::int64_t>(1, t_.burst_bytes);
    burst_cycles_ = static_cast<double>(t_.burst_bytes) * t_.channels / t_.bytes_per_cycle;
    latency_ticks_ = to_ticks(t_.latency_cycles);
}

std::int64_t Dram::reserve(std::int64_t bytes, bool write, std::int64_t now) { return reserve_request(bytes, write, now).arrival; }

Dram::Reservation Dram::reserve_request(std::int64_t bytes, bool write, std::int64_t now) {
    (write ? write_bytes : read_bytes) += bytes;
    const std::int64_t bursts = (bytes + t_.burst_bytes - 1) / t_.burst_bytes;
    const std::int64_t c = t_.channels, base = bursts / c, extra = bursts % c;
    std::int64_t done = now;
    for (std::int64_t j = 0; j < c; ++j) {
        // Channels next_, next_+1, … take the extra bursts.
        std::int64_t ch = (next_ + j) % c;
        std::int64_t n = base + (j < extra ? 1 : 0);
        if (n == 0) continue;
        std::int64_t span = to_ticks(static_cast<double>(n) * burst_cycles_);
        std::int64_t start = std::max(now, free_[static_cast<std::size_t>(ch)]);
        free_[static_cast<std::size_t>(ch)] = start + span;
        occupied_ += span;
        done = std::max(done, start + span);
    }
    next_ = static_cast<int>((next_ + extra) % c);
    return {done, done + latency_ticks_};
}

void Dram::transfer(std::int64_t bytes, bool write) {
    const std::int64_t now = now_ticks();
    const std::int64_t done = reserve(bytes, write, now);
    if (done > now) wait(ticks_time(done - now));
}

std::int64_t Dram::busy_ticks() const { return occupied_ / t_.channels; }

} // namespace sim::systemc
