// Off-chip memory as a SystemC module: channels that each move one burst at a time at their share
// of the bandwidth, a transfer's bursts striped over the channels round-robin, and a fixed latency
// from the last burst to its data's arrival (pipelined: it does not hold a channel). A transfer of
// B bytes, alone and a multiple of burst × channels, takes B / bandwidth + latency.
#pragma once
#include <cstdint>
#include <vector>

#include <systemc>

namespace sim::systemc {

struct DramTiming {
    double bytes_per_cycle = 1;
    double latency_cycles = 0;
    std::int64_t burst_bytes = 64;
    int channels = 1;
};

class Dram : public sc_core::sc_module {
public:
    Dram(sc_core::sc_module_name name, const DramTiming& t);
    // Blocking, from a SystemC thread: returns when the transfer's last byte has arrived.
    void transfer(std::int64_t bytes, bool write);
    // Reserves the channels for a transfer issued at `now` (non-blocking: a stream keeps several in
    // flight); the tick its data has arrived.
    std::int64_t reserve(std::int64_t bytes, bool write, std::int64_t now);
    // The same, also saying when the channels are done with it: a DMA that cuts a long transfer into
    // requests asks for the next one then, and other streams' requests interleave between them.
    struct Reservation {
        std::int64_t channels_done = 0, arrival = 0;
    };
    Reservation reserve_request(std::int64_t bytes, bool write, std::int64_t now);

    std::int64_t busy_ticks() const; // channel occupancy ÷ channels
    std::int64_t read_bytes = 0, write_bytes = 0;

private:
    DramTiming t_;
    double burst_cycles_;        // one burst on one channel
    std::int64_t latency_ticks_;
    std::vector<std::int64_t> free_; // per channel: when it is next free
    int next_ = 0;
    std::int64_t occupied_ = 0;  // channel-ticks
};

} // namespace sim::systemc
