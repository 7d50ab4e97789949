#include "mappings/search.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <thread>

#include "mappings/point_cost.h"

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
        k.kind = KnobKind::tile;
        k.tile = key;
        k.tile_values = values;
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
            k.kind = KnobKind::dram_loops;
            k.group = static_cast<int>(g);
            k.orders = orders;
            s.knobs.push_back(std::move(k));
        }
        Knob ov;
        ov.name = "group[" + std::to_string(g) + "].overlap";
        ov.options = 2;
        ov.labels = {"serial", "pipeline"};
        ov.apply = [g](Mapping& m, int i) { m.groups[g].overlap = i ? Overlap::pipeline : Overlap::serial; };
        ov.kind = KnobKind::overlap;
        ov.group = static_cast<int>(g);
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

// The points of one batch, stored flat: point i's options are data[i * width, (i + 1) * width).
struct Batch {
    std::size_t width = 0, count = 0;
    std::vector<int> data;
    void push(const int* p) {
        data.insert(data.end(), p, p + width);
        ++count;
    }
    void clear() {
        data.clear();
        count = 0;
    }
    const int* operator[](std::size_t i) const { return data.data() + i * width; }
};

struct Evaluator {
    const SearchSpace& space;
    const CostFn& cost;
    const SearchOptions& o;
    const std::size_t threads = static_cast<std::size_t>(std::max(1, o.threads));
    std::atomic<std::int64_t> evaluated{0}, legal{0};
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    // One evaluator per thread when the cost binds to the space: points are then evaluated without
    // building their Mappings. Empty otherwise.
    std::vector<std::unique_ptr<PointCost>> bound;

    Evaluator(const SearchSpace& s, const CostFn& c, const SearchOptions& opt) : space(s), cost(c), o(opt) {
        if (const auto* b = cost.target<BindableCost>(); b && b->bind)
            if (auto first = b->bind(space)) {
                bound.push_back(std::move(first));
                while (bound.size() < threads) bound.push_back(bound.front()->clone());
            }
    }

    bool out_of_time(double fraction = 1.0) const {
        if (o.time_limit_s <= 0) return false;
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > fraction * o.time_limit_s;
    }

    std::optional<Cost> evaluate(std::size_t thread, const int* p) const {
        if (!bound.empty()) return (*bound[thread])(p);
        Mapping m = space.base;
        for (std::size_t k = 0; k < space.knobs.size(); ++k) space.knobs[k].apply(m, p[k]);
        return cost(m);
    }

    // Evaluations the budget still allows.
    std::int64_t left() const { return std::max<std::int64_t>(0, o.max_evaluations - evaluated); }

    // Scores of a batch of points (inf when illegal or past the budget), computed in parallel, in
    // batch order. Only the batch's first left() points are evaluated, whatever the threads: the
    // budget is a hard cap, and which points it covers does not depend on the thread count.
    std::vector<double> run(const Batch& batch) {
        std::vector<double> scores(batch.count, std::numeric_limits<double>::infinity());
        const std::size_t count = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(batch.count), left()));
        // Threads only where there is work for them; each score depends on its point alone.
        const std::size_t used = std::min(threads, std::max<std::size_t>(1, count / 32));
        auto work = [&](std::size_t t) {
            std::int64_t done = 0, ok = 0;
            for (std::size_t i = t; i < count; i += used) {
                if (done % 16 == 0 && out_of_time()) break;
                std::optional<Cost> c = evaluate(t, batch[i]);
                ++done;
                if (c) {
                    ++ok;
                    scores[i] = score(*c, o.objective);
                }
            }
            evaluated += done;
            legal += ok;
        };
        if (used <= 1) work(0);
        else {
            std::vector<std::thread> pool;
            for (std::size_t t = 0; t < used; ++t) pool.emplace_back(work, t);
            for (auto& th : pool) th.join();
        }
        return scores;
    }
};

} // namespace

SearchResult search(const SearchSpace& space, const CostFn& cost, const SearchOptions& o) {
    Evaluator ev(space, cost, o);
    SearchResult r;
    const std::size_t n = space.knobs.size();
    Point best_point;
    double best = std::numeric_limits<double>::infinity();
    auto consider = [&](const Batch& batch) {
        std::vector<double> scores = ev.run(batch);
        double before = best;
        for (std::size_t i = 0; i < batch.count; ++i)
            if (scores[i] < best) { // strict: the earliest point wins ties, whatever the threads
                best = scores[i];
                best_point.assign(batch[i], batch[i] + n);
            }
        if (best < before)
            r.trace.emplace_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - ev.start).count(), best);
    };
    Batch batch;
    batch.width = n;
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
    batch.push(base_point.data());
    consider(batch);
    batch.clear();

    const double size = space.size();
    if (size <= static_cast<double>(o.max_evaluations)) {
        r.exhaustive = true;
        Point p(n, 0); // knob 0 varies fastest
        for (std::int64_t idx = 0; idx < static_cast<std::int64_t>(size); ++idx) {
            if (idx % 256 == 0 && ev.out_of_time()) break;
            // The base point was evaluated first; within the budget of the space's size, not twice.
            if (p != base_point) batch.push(p.data());
            for (std::size_t k = 0; k < n && ++p[k] == space.knobs[k].options; ++k) p[k] = 0;
            if (batch.count == 4096) {
                consider(batch);
                batch.clear();
            }
        }
        if (batch.count) consider(batch);
    } else {
        std::mt19937_64 rng(o.seed);
        Point p(n);
        for (std::int64_t i = 0; i < o.max_evaluations / 2 && ev.left() > 0; ++i) {
            for (std::size_t k = 0; k < n; ++k) p[k] = std::uniform_int_distribution<int>(0, space.knobs[k].options - 1)(rng);
            batch.push(p.data());
            if (batch.count == 1024) {
                consider(batch);
                batch.clear();
                if (ev.out_of_time(0.5)) break; // leave half the time to the descent
            }
        }
        if (batch.count) consider(batch);
        batch.clear();
        // Coordinate descent: every option of one knob at a time, until no knob improves or the
        // budget is spent (run() stops inside a line when it runs out).
        bool improved = !best_point.empty();
        while (improved && ev.left() > 0 && !ev.out_of_time()) {
            improved = false;
            for (std::size_t k = 0; k < n && ev.left() > 0; ++k) {
                Point line = best_point;
                for (int v = 0; v < space.knobs[k].options; ++v) {
                    line[k] = v;
                    batch.push(line.data());
                }
                double before = best;
                consider(batch);
                batch.clear();
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
