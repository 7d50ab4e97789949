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

void TileStream::play(const ScheduledStream& st, GroupState& state) {
    std::int64_t issued = 0, done = 0;
    inflight_.clear();
    while (done < st.transfers) {
        std::int64_t now = now_ticks();
        // Issue what the slots (loads) or the completed tiles (write-backs) allow.
        while (issued < st.transfers && static_cast<int>(inflight_.size()) < std::max(1, st.slots) &&
               (st.load ? state.load_may_start(stream_, issued) : state.store_may_start(stream_, issued))) {
            InFlight t;
            t.n = issued;
            t.issued = now;
            t.bytes = transfer_bytes(st, issued);
            if (st.load) {
                t.next = f_.dram->reserve(t.bytes, false, now);
            } else {
                t.next = f_.buffer->access(t.bytes, false, now);
                if (f_.trace && t.next > f_.buffer->last_start()) f_.trace->add(buffer_track_, name_, f_.buffer->last_start(), t.next - f_.buffer->last_start());
            }
            inflight_.push_back(t);
            ++issued;
        }
        // Advance the transfers whose stage has ended, in order; a load completes when the buffer
        // has its data, a write-back when DRAM has it.
        bool progressed = false;
        for (auto& t : inflight_) {
            if (!t.second && t.next <= now) {
                t.second = true;
                if (st.load) {
                    if (f_.trace) f_.trace->add(track_, name_, t.issued, now - t.issued);
                    t.next = f_.buffer->access(t.bytes, true, now);
                    if (f_.trace && t.next > f_.buffer->last_start()) f_.trace->add(buffer_track_, name_, f_.buffer->last_start(), t.next - f_.buffer->last_start());
                } else {
                    t.issued = now;
                    t.next = f_.dram->reserve(t.bytes, true, now);
                }
                progressed = true;
            }
        }
        while (!inflight_.empty() && inflight_.front().second && inflight_.front().next <= now) {
            const InFlight& t = inflight_.front();
            if (f_.trace && !st.load) f_.trace->add(track_, name_, t.issued, now - t.issued);
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
            // The next change: a stage ending (completions go in order, so only the first
            // transfer's second stage counts).
            std::int64_t next = inflight_.front().next;
            for (const auto& t : inflight_)
                if (!t.second) next = std::min(next, t.next);
            wait(ticks_time(std::max<std::int64_t>(next - now, 1)), wake);
        }
    }
}

} // namespace sim::systemc
