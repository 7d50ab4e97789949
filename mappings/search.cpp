#include "mappings/search.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <thread>

namespace mappings {

Objective parse_objective(const std::string& s) {
    if (s == "latency") return Objective::latency;
    if (s == "energy") return Objective::energy;
    if (s == "edp") return Objective::edp;
    throw std::invalid_argument("unknown objective '" + s + "' (latency, energy, edp)");
}

double score(const Cost& c, Objective o) {
    switch (o) {
    case Objective::latency: return c.cycles;
    case Objective::energy: return c.energy_pj;
    case Objective::edp: return c.cycles * c.energy_pj;
    }
    return c.cycles;
}

double SearchSpace::size() const {
    double n = 1;
    for (const auto& k : knobs) n *= k.options;
    return n;
}

SearchSpace make_space(const Mapping& base, const std::vector<std::pair<std::string, std::int64_t>>& max_tile) {
    SearchSpace s;
    s.base = base;
    for (const auto& [rank, limit] : max_tile) {
        std::vector<std::int64_t> values;
        for (std::int64_t v = 1; v <= std::max<std::int64_t>(1, limit); v *= 2) values.push_back(v);
        Knob k;
        k.name = "tiles." + rank;
        k.options = static_cast<int>(values.size());
        for (auto v : values) k.labels.push_back(std::to_string(v));
        std::string key = rank;
        k.apply = [key, values](Mapping& m, int i) { m.tiles[key] = TileValue{values[i], ""}; };
        s.knobs.push_back(std::move(k));
    }
    for (std::size_t g = 0; g < base.groups.size(); ++g) {
        std::vector<std::string> loops = base.groups[g].dram_loops;
        if (loops.size() > 1 && loops.size() <= 6) {
            std::vector<std::vector<std::string>> orders;
            std::sort(loops.begin(), loops.end());
            do orders.push_back(loops);
            while (std::next_permutation(loops.begin(), loops.end()));
            Knob k;
            k.name = "group[" + std::to_string(g) + "].dram_loops";
            k.options = static_cast<int>(orders.size());
            for (const auto& o : orders) {
                std::string l;
                for (const auto& x : o) l += (l.empty() ? "" : ",") + x;
                k.labels.push_back(l);
            }
            k.apply = [g, orders](Mapping& m, int i) { m.groups[g].dram_loops = orders[i]; };
            s.knobs.push_back(std::move(k));
        }
        Knob ov;
        ov.name = "group[" + std::to_string(g) + "].overlap";
        ov.options = 2;
        ov.labels = {"serial", "pipeline"};
        ov.apply = [g](Mapping& m, int i) { m.groups[g].overlap = i ? Overlap::pipeline : Overlap::serial; };
        s.knobs.push_back(std::move(ov));
    }
    return s;
}

std::vector<std::pair<std::string, std::int64_t>> tile_limits(const einsum::Cascade& c, const einsum::Shape& s, const Mapping& m) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& [key, t] : m.tiles) {
        std::int64_t limit = 0;
        for (const auto& sp : m.splits)
            if (std::find(sp.parts.begin(), sp.parts.end(), key) != sp.parts.end() && s.extents.count(sp.rank)) limit = s.extent(sp.rank);
        for (const auto& p : c.partitions)
            if (p.inner == key && s.extents.count(p.parent)) limit = s.extent(p.parent);
        if (limit == 0 && s.extents.count(key)) limit = s.extent(key);
        out.emplace_back(key, std::max<std::int64_t>(limit, 1));
    }
    return out;
}

namespace {

using Point = std::vector<int>;

struct Evaluator {
    const SearchSpace& space;
    const CostFn& cost;
    const SearchOptions& o;
    std::atomic<std::int64_t> evaluated{0}, legal{0};
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();

    bool out_of_time(double fraction = 1.0) const {
        if (o.time_limit_s <= 0) return false;
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > fraction * o.time_limit_s;
    }

    // Scores of a batch of points (inf when illegal), computed in parallel, in batch order.
    std::vector<double> run(const std::vector<Point>& batch) {
        std::vector<double> scores(batch.size(), std::numeric_limits<double>::infinity());
        auto work = [&](std::size_t t) {
            for (std::size_t i = t; i < batch.size(); i += static_cast<std::size_t>(o.threads)) {
                if (out_of_time()) return;
                Mapping m = space.base;
                for (std::size_t k = 0; k < batch[i].size(); ++k) space.knobs[k].apply(m, batch[i][k]);
                std::optional<Cost> c = cost(m);
                ++evaluated;
                if (c) {
                    ++legal;
                    scores[i] = score(*c, o.objective);
                }
            }
        };
        if (o.threads <= 1) work(0);
        else {
            std::vector<std::thread> pool;
            for (int t = 0; t < o.threads; ++t) pool.emplace_back(work, static_cast<std::size_t>(t));
            for (auto& th : pool) th.join();
        }
        return scores;
    }
};

} // namespace

SearchResult search(const SearchSpace& space, const CostFn& cost, const SearchOptions& o) {
    Evaluator ev{space, cost, o};
    SearchResult r;
    Point best_point;
    double best = std::numeric_limits<double>::infinity();
    auto consider = [&](const std::vector<Point>& batch) {
        std::vector<double> scores = ev.run(batch);
        double before = best;
        for (std::size_t i = 0; i < batch.size(); ++i)
            if (scores[i] < best) { // strict: the earliest point wins ties, whatever the threads
                best = scores[i];
                best_point = batch[i];
            }
        if (best < before)
            r.trace.emplace_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - ev.start).count(), best);
    };
    const std::size_t n = space.knobs.size();
    // The base mapping's own choices, where a knob's labels include them.
    Point base_point(n, 0);
    for (std::size_t k = 0; k < n; ++k) {
        const Knob& knob = space.knobs[k];
        std::string current;
        if (knob.name.rfind("tiles.", 0) == 0) {
            auto it = space.base.tiles.find(knob.name.substr(6));
            if (it != space.base.tiles.end() && it->second.expr.empty()) current = std::to_string(it->second.value);
        } else if (knob.name.find(".dram_loops") != std::string::npos) {
            std::size_t g = std::stoul(knob.name.substr(6));
            for (const auto& x : space.base.groups[g].dram_loops) current += (current.empty() ? "" : ",") + x;
        } else if (knob.name.find(".overlap") != std::string::npos) {
            current = name(space.base.groups[std::stoul(knob.name.substr(6))].overlap);
        }
        for (int i = 0; i < knob.options; ++i)
            if (knob.labels[i] == current) base_point[k] = i;
    }
    consider({base_point});

    const double size = space.size();
    if (size <= static_cast<double>(o.max_evaluations)) {
        r.exhaustive = true;
        std::vector<Point> batch;
        for (std::int64_t idx = 0; idx < static_cast<std::int64_t>(size) && !ev.out_of_time(); ++idx) {
            Point p(n);
            std::int64_t rest = idx;
            for (std::size_t k = 0; k < n; ++k) {
                p[k] = static_cast<int>(rest % space.knobs[k].options);
                rest /= space.knobs[k].options;
            }
            batch.push_back(std::move(p));
            if (batch.size() == 4096) {
                consider(batch);
                batch.clear();
            }
        }
        if (!batch.empty()) consider(batch);
    } else {
        std::mt19937_64 rng(o.seed);
        std::vector<Point> batch;
        for (std::int64_t i = 0; i < o.max_evaluations / 2; ++i) {
            Point p(n);
            for (std::size_t k = 0; k < n; ++k) p[k] = std::uniform_int_distribution<int>(0, space.knobs[k].options - 1)(rng);
            batch.push_back(std::move(p));
            if (batch.size() == 1024) {
                consider(batch);
                batch.clear();
                if (ev.out_of_time(0.5)) break; // leave half the time to the descent
            }
        }
        if (!batch.empty()) consider(batch);
        // Coordinate descent: every option of one knob at a time, until no knob improves.
        bool improved = !best_point.empty();
        while (improved && ev.evaluated < o.max_evaluations && !ev.out_of_time()) {
            improved = false;
            for (std::size_t k = 0; k < n; ++k) {
                std::vector<Point> line;
                for (int v = 0; v < space.knobs[k].options; ++v) {
                    Point p = best_point;
                    p[k] = v;
                    line.push_back(p);
                }
                double before = best;
                consider(line);
                improved = improved || best < before;
            }
        }
    }
    r.evaluated = ev.evaluated;
    r.legal = ev.legal;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - ev.start).count();
    if (!best_point.empty() && std::isfinite(best)) {
        Mapping m = space.base;
        for (std::size_t k = 0; k < n; ++k) space.knobs[k].apply(m, best_point[k]);
        r.best = m;
        r.best_cost = *cost(m);
    }
    return r;
}

} // namespace mappings
