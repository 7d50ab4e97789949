// What the SystemC engine needs beyond the architecture: DRAM timing that arch::Dram does not
// describe (burst size and channels; its latency can be overridden), the depth of the pipeline
// between the arrays, and the timeline.
#pragma once
#include <cstdint>
#include <optional>

namespace sim::systemc {

struct Options {
    // DRAM timing: the architecture's latency unless overridden; 64-byte bursts, 8 channels striped
    // burst by burst (one HBM2 stack) — estimates, not datasheet figures.
    std::optional<double> dram_latency_ns;
    // A stream's DMA asks DRAM for at most this much at a time; other streams' requests interleave
    // between them (a 4 MB write-back does not hold up the next small tile for its whole length).
    std::int64_t dram_request_bytes = 65536;
    std::int64_t dram_burst_bytes = 64;
    int dram_channels = 8;
    // Iterations of a pipelined group in flight at once (the FIFO between the 2D and the 1D array
    // holds the tiles of the iterations between the oldest unfinished one and the newest started):
    // one being produced, one waiting, one being consumed.
    int pipeline_depth = 3;
    // The Chrome trace-event timeline; capped so that a long run does not fill memory (events past
    // the cap are counted, not kept).
    bool trace = false;
    std::int64_t trace_max_events = 2'000'000;
};

} // namespace sim::systemc
