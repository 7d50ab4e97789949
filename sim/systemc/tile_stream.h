// A tensor's tile stream between DRAM and the global buffer as a SystemC module (the DMA queue of
// one tensor): loads that run ahead of the operations as far as the buffer's slots for the tensor
// allow (two when double-buffered), or write-backs of completed output tiles. Several transfers are
// in flight at once (up to the slots), so DRAM latency hides behind the bandwidth. A load occupies
// the DRAM channels, then, when its data has arrived, the buffer's write ports; a write-back the
// buffer's read ports, then the channels, and it is done when its data has arrived in DRAM. On the
// channels a transfer goes as requests of at most Options::dram_request_bytes, so that a large
// write-back does not hold up the other streams' tiles behind it: they interleave request by request.
#pragma once
#include <cstdint>
#include <vector>

#include <systemc>

#include "sim/systemc/fabric.h"

namespace sim::systemc {

class TileStream : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(TileStream);
    TileStream(sc_core::sc_module_name name, Fabric& f, int group, int stream);
    sc_core::sc_event wake;

private:
    enum class Stage { dram, buffer, done };
    struct InFlight {
        std::int64_t n = 0, issued = 0, bytes = 0;
        Stage stage = Stage::dram;
        std::int64_t next = 0;      // when its current stage (or DRAM request) ends
        std::int64_t dram_left = 0; // bytes not yet requested from DRAM
        std::int64_t dram_start = 0;
    };
    void run();
    void play(const ScheduledStream& st, GroupState& state);
    void request(InFlight& t, bool write, std::int64_t now); // the next DRAM request of t
    void buffer_stage(InFlight& t, bool fill, std::int64_t now);
    Fabric& f_;
    int group_, stream_;
    int track_ = 0, buffer_track_ = 0, name_ = 0;
    std::vector<InFlight> inflight_;
};

} // namespace sim::systemc
