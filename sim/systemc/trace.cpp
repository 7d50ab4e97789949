#include "sim/systemc/trace.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace sim::systemc {
namespace {

int intern(std::vector<std::string>& table, const std::string& s) {
    for (std::size_t i = 0; i < table.size(); ++i)
        if (table[i] == s) return static_cast<int>(i);
    table.push_back(s);
    return static_cast<int>(table.size() - 1);
}

// Busy intervals of one track, merged, clipped to [from, to).
std::vector<std::pair<std::int64_t, std::int64_t>> intervals(const Trace& t, int track, std::int64_t from, std::int64_t to) {
    std::vector<std::pair<std::int64_t, std::int64_t>> v;
    for (const auto& e : t.events) {
        if (e.track != track || e.duration <= 0) continue;
        std::int64_t s = std::max(e.start, from), f = std::min(e.start + e.duration, to);
        if (s < f) v.emplace_back(s, f);
    }
    std::sort(v.begin(), v.end());
    std::vector<std::pair<std::int64_t, std::int64_t>> merged;
    for (const auto& x : v) {
        if (!merged.empty() && x.first <= merged.back().second) merged.back().second = std::max(merged.back().second, x.second);
        else merged.push_back(x);
    }
    return merged;
}

} // namespace

int Trace::track(const std::string& t) { return intern(tracks, t); }
int Trace::name(const std::string& n) { return intern(names, n); }

void write_chrome_trace(const Trace& t, std::ostream& out) {
    const double us_per_tick = 1.0 / (static_cast<double>(ticks_per_cycle) * t.clock_mhz);
    out << "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"engine\":\"systemc\",\"clock_mhz\":" << t.clock_mhz
        << ",\"dropped_events\":" << t.dropped << "},\"traceEvents\":[\n";
    bool first = true;
    auto sep = [&] {
        if (!first) out << ",\n";
        first = false;
    };
    sep();
    out << R"({"name":"process_name","ph":"M","pid":1,"args":{"name":"einsim systemc"}})";
    for (std::size_t i = 0; i < t.tracks.size(); ++i) {
        sep();
        out << R"({"name":"thread_name","ph":"M","pid":1,"tid":)" << i << R"(,"args":{"name":)" << nlohmann::json(t.tracks[i]).dump() << "}}";
        sep();
        out << R"({"name":"thread_sort_index","ph":"M","pid":1,"tid":)" << i << R"(,"args":{"sort_index":)" << i << "}}";
    }
    std::vector<std::string> quoted;
    for (const auto& n : t.names) quoted.push_back(nlohmann::json(n).dump());
    char buf[96];
    for (const auto& e : t.events) {
        sep();
        std::snprintf(buf, sizeof buf, "%.6f,\"dur\":%.6f", static_cast<double>(e.start) * us_per_tick, static_cast<double>(e.duration) * us_per_tick);
        out << "{\"name\":" << quoted[e.name] << ",\"ph\":\"X\",\"pid\":1,\"tid\":" << e.track << ",\"ts\":" << buf << "}";
    }
    out << "\n]}\n";
}

Overlap busy_overlap(const Trace& t, const std::string& a, const std::string& b, std::int64_t from, std::int64_t to) {
    Overlap o;
    auto ia = std::find(t.tracks.begin(), t.tracks.end(), a), ib = std::find(t.tracks.begin(), t.tracks.end(), b);
    if (ia == t.tracks.end()) return o;
    auto va = intervals(t, static_cast<int>(ia - t.tracks.begin()), from, to);
    for (const auto& x : va) o.busy_a += x.second - x.first;
    if (ib == t.tracks.end()) return o;
    auto vb = intervals(t, static_cast<int>(ib - t.tracks.begin()), from, to);
    std::size_t i = 0, j = 0;
    while (i < va.size() && j < vb.size()) {
        std::int64_t s = std::max(va[i].first, vb[j].first), f = std::min(va[i].second, vb[j].second);
        if (s < f) o.both += f - s;
        if (va[i].second < vb[j].second) ++i;
        else ++j;
    }
    return o;
}

} // namespace sim::systemc
