#include "sim/gpu/sm_simulator.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <stdexcept>

namespace sim::gpu {

namespace {

struct Machine {
    double latency_s, cta_start_s, fill_per_sm, l2_bw, hbm_bw, tensor_per_sm, sfu_per_sm, alu_per_sm, schedulers;
};

Machine machine(const arch::GpuArch& g, arch::DType dtype) {
    Machine m{};
    m.latency_s = g.overheads.dram_latency_ns * 1e-9;
    m.cta_start_s = g.overheads.cta_start_ns * 1e-9;
    m.l2_bw = g.l2_bandwidth_bytes_per_s();
    m.fill_per_sm = m.l2_bw / double(g.sm_count); // an SM's share of the L2-to-SM fabric
    // Streaming CTAs only read (their stores are phases of their own): they share the read bandwidth.
    m.hbm_bw = g.hbm.read_bandwidth_gb_per_s * 1e9;
    auto it = g.sm.tensor_flops_per_cycle.find(dtype);
    m.tensor_per_sm = it == g.sm.tensor_flops_per_cycle.end() ? 0 : it->second * g.tensor_clock_mhz * 1e6;
    if (auto ms = g.sm.mma_sync_tflops.find(dtype); ms != g.sm.mma_sync_tflops.end()) m.tensor_per_sm = ms->second * 1e12 / double(g.sm_count);
    m.sfu_per_sm = g.sm.sfu_exp_per_cycle * g.boost_clock_mhz * 1e6;
    m.alu_per_sm = g.sm.fp32_flops_per_cycle / 2 * g.boost_clock_mhz * 1e6;
    m.schedulers = double(std::max<std::int64_t>(1, g.sm.warp_schedulers));
    return m;
}

struct Cta {
    const CtaPlan* plan = nullptr;
    int sm = -1;
    std::size_t phase = 0;
    double remaining = 0; // seconds (timed phases) or tiles (stream)
    bool streaming = false, blocked = false, done = false;
    int missing = 0;      // flags still awaited
    double start = 0, end = 0;
    double rate = 0;      // tiles per second while streaming
    const char* state = "";
};

class Simulation {
public:
    Simulation(const KernelPlan& k, const arch::GpuArch& g, std::int64_t n)
        : k_(k), m_(machine(g, k.dtype)), sms_(g.sm_count), slots_(std::max<std::int64_t>(1, k.ctas_per_sm)), ctas_(std::size_t(n)),
          resident_(std::size_t(g.sm_count), 0), streaming_on_(std::size_t(g.sm_count), 0), event_done_(std::size_t(k.events), false),
          waiters_(std::size_t(k.events)), gpc_sms_(g.clusters.gpc_sms) {
        for (std::int64_t i = 0; i < n; ++i) ctas_[std::size_t(i)].plan = k.repeat > 0 ? &k.ctas[0] : &k.ctas[std::size_t(i)];
        run_.sm_busy_s.assign(std::size_t(sms_), 0.0);
        run_.sm_ctas.assign(std::size_t(sms_), 0);
    }

    KernelRun run() {
        if (k_.cluster > 1) {
            place_clusters();
        } else {
            // The block scheduler spreads the first CTAs one per SM, then fills further slots.
            for (std::int64_t round = 0; round < slots_; ++round)
                for (std::int64_t sm = 0; sm < sms_ && next_ < ctas_.size(); ++sm) place(next_++, int(sm));
        }
        drain();
        while (finished_ < ctas_.size()) {
            std::vector<std::size_t> active;
            for (std::size_t i : resident_list_)
                if (!ctas_[i].done) active.push_back(i);
            if (active.empty()) break;
            set_rates(active);
            double dt = std::numeric_limits<double>::infinity();
            std::size_t first = active[0];
            for (std::size_t i : active) {
                const Cta& c = ctas_[i];
                if (c.blocked) continue;
                double left = c.streaming ? c.remaining / c.rate : c.remaining;
                if (left < dt) dt = left, first = i;
            }
            if (!std::isfinite(dt)) throw std::logic_error("GPU simulation: every resident CTA waits on a flag that is never set");
            advance(active, dt, first);
            // Collect first: a flag set by one completion must not complete the phase its waiter enters.
            std::vector<std::size_t> completing;
            for (std::size_t i : active) {
                const Cta& c = ctas_[i];
                if (c.blocked || c.done) continue;
                bool over = c.streaming ? c.remaining <= 1e-9 : c.remaining <= 1e-15;
                if (i == first || over) completing.push_back(i);
            }
            for (std::size_t i : completing) complete_phase(i);
            drain();
            resident_list_.erase(std::remove_if(resident_list_.begin(), resident_list_.end(), [&](std::size_t i) { return ctas_[i].done; }),
                                 resident_list_.end());
        }
        run_.span_s = now_;
        std::size_t per_wave = std::size_t(sms_ * slots_);
        for (std::size_t i = 0; i < ctas_.size(); ++i) {
            std::size_t w = i / per_wave;
            if (w >= run_.wave_ctas.size()) {
                run_.wave_ctas.push_back(0);
                run_.wave_start_s.push_back(ctas_[i].start);
                run_.wave_end_s.push_back(ctas_[i].end);
            }
            run_.wave_ctas[w]++;
            run_.wave_start_s[w] = std::min(run_.wave_start_s[w], ctas_[i].start);
            run_.wave_end_s[w] = std::max(run_.wave_end_s[w], ctas_[i].end);
        }
        return run_;
    }

private:
    // Thread-block clusters: each cluster's CTAs go to the SMs of one GPC (SMs numbered GPC after
    // GPC), the least loaded first, on the GPC where its busiest SM ends least loaded (ties: the
    // first GPC): clusters spread one CTA an SM before any SM takes a second. Every cluster must
    // fit at once (mappings' legality refuses grids that would need waves).
    void place_clusters() {
        const std::size_t c = std::size_t(k_.cluster);
        if (ctas_.size() % c != 0)
            throw std::logic_error("GPU simulation: " + std::to_string(ctas_.size()) + " CTAs are no whole number of clusters of " + std::to_string(c));
        std::vector<std::int64_t> load(std::size_t(sms_), 0);
        while (next_ < ctas_.size()) {
            std::vector<int> best;
            std::int64_t best_peak = 0;
            int first_sm = 0;
            for (std::int64_t gpc_size : gpc_sms_) {
                std::vector<std::int64_t> trial(load.begin() + first_sm, load.begin() + first_sm + int(gpc_size));
                std::vector<int> chosen;
                std::int64_t peak = 0;
                for (std::size_t j = 0; j < c; ++j) {
                    auto it = std::min_element(trial.begin(), trial.end());
                    if (*it >= slots_) break;
                    peak = std::max(peak, ++*it);
                    chosen.push_back(first_sm + int(it - trial.begin()));
                }
                if (chosen.size() == c && (best.empty() || peak < best_peak)) best = chosen, best_peak = peak;
                first_sm += int(gpc_size);
            }
            if (best.empty()) throw std::logic_error("GPU simulation: a cluster of " + std::to_string(c) + " CTAs finds no GPC with room");
            for (int sm : best) load[std::size_t(sm)]++, place(next_++, sm);
        }
    }

    void place(std::size_t i, int sm) {
        Cta& c = ctas_[i];
        c.sm = sm;
        c.start = now_;
        resident_[std::size_t(sm)]++;
        run_.sm_ctas[std::size_t(sm)]++;
        resident_list_.push_back(i);
        ready_.push_back(i);
    }

    // Starts the CTA's current phase; phases that take no time complete at once.
    void enter(std::size_t i) {
        Cta& c = ctas_[i];
        while (true) {
            if (c.phase >= c.plan->phases.size()) return finish(i);
            const Phase& ph = c.plan->phases[c.phase];
            c.state = name(ph.kind);
            switch (ph.kind) {
            case PhaseKind::start: c.remaining = m_.cta_start_s; break;
            case PhaseKind::stream:
                if (ph.tiles > 0) {
                    c.remaining = ph.tiles;
                    c.streaming = true;
                    streaming_on_[std::size_t(c.sm)]++;
                    return;
                }
                c.remaining = 0;
                break;
            case PhaseKind::wait: {
                int missing = 0;
                for (int e : ph.waits)
                    if (!event_done_[std::size_t(e)]) missing++, waiters_[std::size_t(e)].push_back(i);
                if (missing > 0) {
                    c.missing = missing;
                    c.blocked = true;
                    return;
                }
                c.remaining = 0;
                break;
            }
            default: // loads and stores: round trips plus the bytes over the SM's share of its load path, plus own work
                c.remaining = ph.round_trips * (m_.latency_s + queue_s_) + ph.bytes * double(resident_[std::size_t(c.sm)]) / m_.fill_per_sm + ph.work_s;
            }
            if (c.remaining > 0) return;
            finish_phase_effects(i);
            c.phase++;
        }
    }

    void finish_phase_effects(std::size_t i) {
        const Phase& ph = ctas_[i].plan->phases[ctas_[i].phase];
        if (ph.signal < 0) return;
        event_done_[std::size_t(ph.signal)] = true;
        for (std::size_t w : waiters_[std::size_t(ph.signal)]) {
            Cta& c = ctas_[w];
            if (--c.missing == 0) {
                c.blocked = false;
                c.phase++;
                ready_.push_back(w);
            }
        }
        waiters_[std::size_t(ph.signal)].clear();
    }

    void complete_phase(std::size_t i) {
        Cta& c = ctas_[i];
        if (c.streaming) {
            c.streaming = false;
            streaming_on_[std::size_t(c.sm)]--;
        }
        c.remaining = 0;
        finish_phase_effects(i);
        c.phase++;
        ready_.push_back(i);
    }

    void finish(std::size_t i) {
        Cta& c = ctas_[i];
        c.done = true;
        c.end = now_;
        finished_++;
        resident_[std::size_t(c.sm)]--;
        if (next_ < ctas_.size()) place(next_++, c.sm);
    }

    void drain() {
        while (!ready_.empty()) {
            std::size_t i = ready_.front();
            ready_.pop_front();
            if (!ctas_[i].done && !ctas_[i].blocked) enter(i);
        }
    }

    void set_rates(const std::vector<std::size_t>& active) {
        std::vector<std::size_t> streaming;
        for (std::size_t i : active)
            if (ctas_[i].streaming) streaming.push_back(i);
        const double n = double(streaming.size());
        std::vector<double> demand(streaming.size(), 0.0);
        double in_flight = 0; // the streaming CTAs' HBM bytes in flight
        for (std::size_t j = 0; j < streaming.size(); ++j) {
            Cta& c = ctas_[streaming[j]];
            const TileWork& t = k_.tiles[std::size_t(c.plan->phases[c.phase].tile)];
            const double k = double(streaming_on_[std::size_t(c.sm)]);
            double mma = m_.tensor_per_sm > 0 ? t.mma_flops / m_.tensor_per_sm : 0;
            double ex = t.exps / m_.sfu_per_sm, alu = t.fp32_ops / m_.alu_per_sm;
            // A CTA's warps, a scheduler: beyond one, each issues its per-KiB work in turn with the
            // others (arch GpuSm::warp_schedulers). They meet at the tile's barriers, so they issue
            // at the same time; other CTAs' warps interleave their issue with these warps' waits
            // (counting them too made split-K at E = 64, 2+ CTAs an SM, 6-9% slow).
            const double per_scheduler = std::max(1.0, t.warps / m_.schedulers);
            const double chain = t.warp_chain_s + t.warp_issue_s * (per_scheduler - 1.0);
            struct Term { double s; const char* what; };
            Term terms[] = {
                // A CTA's MMAs, exponentials and ALU work alternate (each waits on the last), and the
                // CTAs streaming on an SM take turns on its units: FlashAttention-2 reaches about half
                // of mma.sync's rate for this reason.
                {k * (mma + ex + alu), mma >= std::max(ex, alu) ? "tensor_cores" : ex >= alu ? "sfu_exp" : "fp32_alu"},
                {t.bytes * k / m_.fill_per_sm, "sm_load_path"},
                {(t.loads * m_.latency_s + t.bytes / m_.fill_per_sm) / std::max(1.0, t.stages), "memory_latency"},
                {t.bytes * n / m_.l2_bw, "l2_bandwidth"},
                {chain, "warp_chain"},
            };
            Term best = terms[0];
            for (const Term& term : terms)
                if (term.s > best.s) best = term;
            c.rate = best.s > 0 ? 1.0 / best.s : std::numeric_limits<double>::infinity();
            c.state = best.what;
            demand[j] = t.hbm_bytes * c.rate;
            // Tiles a CTA has in flight: as many as its stages hold, no more than it has left.
            in_flight += t.hbm_bytes * std::min(std::max(1.0, t.stages) / std::max(1.0, t.loads), c.remaining);
        }
        // Water-fill HBM: CTAs wanting less than an equal share keep their demand; the rest split what is left.
        double total = 0;
        for (double d : demand) total += d;
        queue_s_ = 0;
        if (total <= m_.hbm_bw) return;
        queue_s_ = in_flight / m_.hbm_bw;
        std::vector<double> sorted = demand;
        std::sort(sorted.begin(), sorted.end());
        double left = m_.hbm_bw, level = 0;
        for (std::size_t j = 0; j < sorted.size(); ++j) {
            double share = left / double(sorted.size() - j);
            if (sorted[j] >= share) {
                level = share;
                break;
            }
            left -= sorted[j];
        }
        for (std::size_t j = 0; j < streaming.size(); ++j) {
            if (demand[j] <= level) continue;
            Cta& c = ctas_[streaming[j]];
            c.rate *= level / demand[j];
            c.state = "hbm_bandwidth";
        }
    }

    void advance(const std::vector<std::size_t>& active, double dt, std::size_t first) {
        for (std::size_t i : active) {
            Cta& c = ctas_[i];
            run_.cta_seconds[c.blocked ? "flag_wait" : c.state] += dt;
            if (c.blocked) continue;
            if (i == first) c.remaining = 0;
            else c.remaining -= c.streaming ? c.rate * dt : dt;
        }
        for (std::int64_t sm = 0; sm < sms_; ++sm)
            if (resident_[std::size_t(sm)] > 0) run_.sm_busy_s[std::size_t(sm)] += dt;
        now_ += dt;
    }

    const KernelPlan& k_;
    Machine m_;
    std::int64_t sms_, slots_;
    std::vector<Cta> ctas_;
    std::vector<std::int64_t> resident_, streaming_on_;
    std::vector<bool> event_done_;
    std::vector<std::vector<std::size_t>> waiters_;
    std::vector<std::size_t> resident_list_;
    std::deque<std::size_t> ready_;
    std::size_t next_ = 0, finished_ = 0;
    double now_ = 0;
    double queue_s_ = 0; // while HBM is saturated: its queue, the streaming CTAs' bytes in flight over its rate
    KernelRun run_;
    std::vector<std::int64_t> gpc_sms_;
};

KernelRun simulate(const KernelPlan& k, const arch::GpuArch& g, std::int64_t n) { return Simulation(k, g, n).run(); }

} // namespace

KernelRun run_kernel(const KernelPlan& k, const arch::GpuArch& g) {
    const std::int64_t n = k.cta_count();
    const std::int64_t slots = g.sm_count * std::max<std::int64_t>(1, k.ctas_per_sm);
    if (k.repeat == 0 || n <= 24 * slots) return simulate(k, g, n);
    // A long grid of identical CTAs reaches a steady state after a few waves: simulate n1 and n1 + one
    // wave of CTAs and extend by the per-wave difference.
    const std::int64_t n1 = 8 * slots + n % slots, n2 = n1 + slots;
    KernelRun a = simulate(k, g, n1), b = simulate(k, g, n2);
    const double waves = double(n - n1) / double(slots);
    KernelRun out = a;
    out.extrapolated = true;
    out.span_s = a.span_s + waves * (b.span_s - a.span_s);
    for (auto& [state, s] : out.cta_seconds) s += waves * (b.cta_seconds[state] - s);
    for (const auto& [state, s] : b.cta_seconds)
        if (!a.cta_seconds.contains(state)) out.cta_seconds[state] = waves * s;
    for (std::size_t sm = 0; sm < out.sm_busy_s.size(); ++sm) {
        out.sm_busy_s[sm] += waves * (b.sm_busy_s[sm] - a.sm_busy_s[sm]);
        out.sm_ctas[sm] += std::int64_t(std::llround(waves * double(b.sm_ctas[sm] - a.sm_ctas[sm])));
    }
    return out;
}

} // namespace sim::gpu
