// The timeline of one SystemC run: an interval per tile operation, transfer and stall on named
// tracks (one per unit, per unit's stalls, per DRAM stream, the global buffer), written as Chrome
// trace-event JSON (open in Perfetto or chrome://tracing), and measured (how much two tracks overlap).
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace sim::systemc {

// Times are in ticks: 1 tick = 1/1000 of a clock cycle (the SystemC engine's time resolution).
constexpr std::int64_t ticks_per_cycle = 1000;

struct Trace {
    struct Event {
        int track = 0, name = 0;
        std::int64_t start = 0, duration = 0; // ticks
    };
    std::vector<std::string> tracks, names;
    std::vector<Event> events;
    std::int64_t max_events = 0;
    std::int64_t dropped = 0; // events past max_events
    double clock_mhz = 1000;

    int track(const std::string& t);
    int name(const std::string& n);
    void add(int track, int name, std::int64_t start, std::int64_t duration) {
        if (static_cast<std::int64_t>(events.size()) >= max_events) {
            ++dropped;
            return;
        }
        events.push_back({track, name, start, duration});
    }
};

// Chrome trace-event JSON: a complete ("X") event per interval, one thread per track, µs timestamps.
void write_chrome_trace(const Trace& t, std::ostream& out);

// Ticks during which track `a` is busy, and during which both `a` and `b` are, within [from, to).
struct Overlap {
    std::int64_t busy_a = 0, both = 0;
    double fraction() const { return busy_a > 0 ? static_cast<double>(both) / static_cast<double>(busy_a) : 0; }
};
Overlap busy_overlap(const Trace& t, const std::string& a, const std::string& b, std::int64_t from, std::int64_t to);

} // namespace sim::systemc
