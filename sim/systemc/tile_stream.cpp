#include "sim/systemc/tile_stream.h"

#include <algorithm>

#include "sim/systemc/ticks.h"

namespace sim::systemc {

TileStream::TileStream(sc_core::sc_module_name name, Fabric& f, int group, int stream) : sc_core::sc_module(name), f_(f), group_(group), stream_(stream) {
    const ScheduledStream& st = f_.schedule->groups[static_cast<std::size_t>(group)].streams[static_cast<std::size_t>(stream)];
    if (f_.trace) {
        track_ = f_.trace->track(std::string("dram ") + (st.load ? "load " : "write-back ") + st.tensor);
        buffer_track_ = f_.trace->track("global_buffer");
        name_ = f_.trace->name((st.load ? "fill " : "write-back ") + st.tensor);
    }
    SC_THREAD(run);
}

void TileStream::run() {
    for (;;) {
        wait(f_.group_start);
        if (f_.over) return;
        if (f_.group != group_) continue;
        play(f_.schedule->groups[static_cast<std::size_t>(group_)].streams[static_cast<std::size_t>(stream_)], *f_.state);
    }
}

void TileStream::request(InFlight& t, bool write, std::int64_t now) {
    if (t.dram_left == t.bytes) t.dram_start = now;
    const std::int64_t bytes = std::min(t.dram_left, std::max<std::int64_t>(1, f_.dram_request_bytes));
    const Dram::Reservation r = f_.dram->reserve_request(bytes, write, now);
    t.dram_left -= bytes;
    // The next request goes when the channels are done with this one; the last one ends when its
    // data has arrived.
    t.next = t.dram_left > 0 ? r.channels_done : r.arrival;
    if (t.dram_left == 0 && f_.trace) f_.trace->add(track_, name_, t.dram_start, r.arrival - t.dram_start);
}

void TileStream::buffer_stage(InFlight& t, bool fill, std::int64_t now) {
    // A fill writes the buffer; a write-back reads it.
    t.stage = Stage::buffer;
    t.next = f_.buffer->access(t.bytes, fill, now);
    if (f_.trace && t.next > f_.buffer->last_start()) f_.trace->add(buffer_track_, name_, f_.buffer->last_start(), t.next - f_.buffer->last_start());
}

void TileStream::play(const ScheduledStream& st, GroupState& state) {
    std::int64_t issued = 0, done = 0;
    inflight_.clear();
    const bool write = !st.load; // to DRAM
    while (done < st.transfers) {
        std::int64_t now = now_ticks();
        // Issue what the slots (loads) or the completed tiles (write-backs) allow.
        while (issued < st.transfers && static_cast<int>(inflight_.size()) < std::max(1, st.slots) &&
               (st.load ? state.load_may_start(stream_, issued) : state.store_may_start(stream_, issued))) {
            InFlight t;
            t.n = issued;
            t.issued = now;
            t.bytes = transfer_bytes(st, issued);
            t.dram_left = t.bytes;
            if (st.load) {
                t.stage = Stage::dram; // its first request goes when the transfers before it have made theirs
                t.next = now;
            } else {
                buffer_stage(t, st.load, now);
            }
            inflight_.push_back(t);
            ++issued;
        }
        // Advance the transfers whose stage or request has ended: a load goes from DRAM to the
        // buffer, a write-back from the buffer to DRAM.
        // One DMA queue per stream: its transfers make their DRAM requests in order, one transfer
        // after another (other streams' requests interleave with them on the channels).
        bool progressed = false, earlier_requesting = false;
        for (auto& t : inflight_) {
            const bool to_request = t.stage == Stage::dram && t.dram_left > 0;
            const bool waits_turn = to_request && earlier_requesting;
            if (!(t.stage == Stage::done || t.next > now || waits_turn)) {
                progressed = true;
                if (to_request) {
                    request(t, write, now);
                } else if (t.stage == Stage::dram) {
                    if (st.load) buffer_stage(t, st.load, now);
                    else t.stage = Stage::done;
                } else if (st.load) { // buffer stage over
                    t.stage = Stage::done;
                } else {
                    t.stage = Stage::dram;
                    t.dram_left = t.bytes;
                    if (!earlier_requesting) request(t, write, now);
                    else t.next = now;
                }
            }
            if (t.stage == Stage::dram && t.dram_left > 0) earlier_requesting = true;
        }
        // Complete in order.
        while (!inflight_.empty() && inflight_.front().stage == Stage::done) {
            if (st.load) state.loaded(stream_);
            else state.stored(stream_);
            ++f_.transfers;
            ++done;
            inflight_.erase(inflight_.begin());
            f_.after_transfer(stream_);
            progressed = true;
        }
        if (progressed) continue;
        if (inflight_.empty()) {
            wait(wake);
        } else {
            // The next change: a stage or request ending (a transfer waiting for its turn to
            // request moves when the one before it does).
            std::int64_t next = -1;
            bool requesting = false;
            for (const auto& t : inflight_) {
                const bool waits_turn = t.stage == Stage::dram && t.dram_left > 0 && requesting;
                if (t.stage == Stage::dram && t.dram_left > 0) requesting = true;
                if (t.stage == Stage::done || waits_turn) continue;
                next = next < 0 ? t.next : std::min(next, t.next);
            }
            if (next < 0) wait(wake);
            else wait(ticks_time(std::max<std::int64_t>(next - now, 1)), wake);
        }
    }
}

} // namespace sim::systemc
