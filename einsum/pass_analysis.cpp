#include "einsum/pass_analysis.h"

#include <map>
#include <set>

#include "einsum/coordinates.h"

namespace einsum {
namespace {

// M, the ranks it is partitioned into, ranks composed from any of those (a flattened (b,h,m1)
// space), and those ranks' partitions.
std::set<std::string> family_of(const Cascade& c, const std::string& rank) {
    std::set<std::string> fam{rank};
    bool changed = true;
    while (changed) {
        changed = false;
        for (const auto& p : c.partitions) {
            bool in_p = fam.count(p.parent), in_o = fam.count(p.outer), in_i = fam.count(p.inner);
            if (!p.composes() && in_p && (!in_o || !in_i)) {
                fam.insert(p.outer);
                fam.insert(p.inner);
                changed = true;
            }
            if (p.composes() && (in_o || in_i) && !in_p) {
                fam.insert(p.parent);
                changed = true;
            }
        }
    }
    return fam;
}

struct State {
    int pass = 0;
    bool streaming = false; // produced element by element during `pass`
    std::string producer;
    std::string origin; // the Einsum whose reduction made it complete
};

} // namespace

std::vector<PassReport> analyze_passes(const Cascade& c) {
    std::vector<PassReport> reports;
    for (const auto& r : c.ranks) {
        if (r.role != RankRole::sequence) continue;
        PassReport rep;
        rep.rank = r.name;
        std::set<std::string> fam = family_of(c, r.name);
        std::set<std::string> fam_vars;
        for (const auto& f : fam) fam_vars.insert(var_of_rank(f));

        std::map<std::string, State> state;
        for (const auto& in : c.inputs) {
            State s;
            for (const auto& rk : in.ranks) s.streaming = s.streaming || fam.count(rk);
            s.pass = s.streaming ? 1 : 0;
            s.producer = "input";
            state[in.name] = s;
        }
        for (const auto& e : c.einsums) {
            CoordPlan plan = plan_coordinates(c, e.loop_vars);
            bool touches = false;
            for (const auto& v : plan.available) touches = touches || fam_vars.count(v);
            bool elements = plan.available.count(var_of_rank(r.name)) > 0;
            int pass = touches ? 1 : 0;
            PassBoundary why;
            std::vector<const Access*> reads;
            e.expr.collect_accesses(reads);
            for (const Access* a : reads) {
                if (a->tensor == e.name) continue;
                const State& s = state.at(a->tensor);
                const TensorInfo& t = c.tensors.at(a->tensor);
                bool needs_complete = !s.streaming;
                for (std::size_t d = 0; d < a->index.size(); ++d)
                    if (fam.count(t.ranks[d]) && a->index[d].is_constant()) needs_complete = true;
                int need = s.pass + (needs_complete && touches && s.pass > 0 ? 1 : 0);
                if (needs_complete && touches && s.pass == 0) need = 1;
                if (need > pass) {
                    pass = need;
                    if (needs_complete && s.pass > 0) {
                        why.pass = need;
                        why.consumer = e.name;
                        why.tensor = a->tensor;
                        why.producer = s.origin.empty() ? s.producer : s.origin;
                        why.reason = e.name + " consumes " + r.name + " elements but needs " + a->tensor + ", which is complete only after " +
                                     why.producer + " has seen all of " + r.name + " in pass " + std::to_string(s.pass);
                    } else {
                        why = PassBoundary{};
                    }
                }
            }
            bool out_has_fam = false;
            for (const auto& rk : c.tensors.at(e.name).ranks) out_has_fam = out_has_fam || fam.count(rk);
            State out;
            out.pass = pass;
            out.streaming = touches && out_has_fam;
            out.producer = e.name;
            if (!out.streaming) {
                // Complete after this pass: a reduction over M (or derived from one).
                out.origin = touches ? e.name : std::string();
                for (const Access* a : reads)
                    if (!touches && a->tensor != e.name && state.at(a->tensor).pass == pass && !state.at(a->tensor).origin.empty())
                        out.origin = state.at(a->tensor).origin;
            }
            state[e.name] = out;
            rep.einsum_pass.push_back(pass);
            rep.reads_elements.push_back(elements);
            if (elements) {
                rep.passes = std::max(rep.passes, pass);
                if (!why.consumer.empty()) {
                    bool dup = false;
                    for (const auto& b : rep.boundaries) dup = dup || b.pass == why.pass;
                    if (!dup) rep.boundaries.push_back(why);
                }
            }
        }
        reports.push_back(rep);
    }
    return reports;
}

} // namespace einsum
