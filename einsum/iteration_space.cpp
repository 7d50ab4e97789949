#include "einsum/iteration_space.h"

#include <algorithm>
#include <optional>

#include "einsum/coordinates.h"

namespace einsum {

bool CompiledPredicate::operator()(const std::vector<std::int64_t>& env) const {
    switch (kind) {
    case Predicate::Kind::all_of:
        for (const auto& ch : children)
            if (!ch(env)) return false;
        return true;
    case Predicate::Kind::any_of:
        for (const auto& ch : children)
            if (ch(env)) return true;
        return false;
    case Predicate::Kind::compare: break;
    }
    std::int64_t a = lhs(env), b = rhs(env);
    switch (op) {
    case CompareOp::eq: return a == b;
    case CompareOp::ne: return a != b;
    case CompareOp::lt: return a < b;
    case CompareOp::le: return a <= b;
    case CompareOp::gt: return a > b;
    case CompareOp::ge: return a >= b;
    }
    return false;
}

IterationSpace::IterationSpace(const Cascade& c, const Einsum& e, const Shape& s) : shape_(s), where_(e.where) {
    if (where_.file.empty()) where_.file = c.file;
    CoordPlan plan = plan_coordinates(c, e.loop_vars);
    names_ = e.loop_vars;
    for (const auto& v : plan.available)
        if (std::find(names_.begin(), names_.end(), v) == names_.end()) names_.push_back(v);
    for (const auto& v : e.loop_vars) {
        loop_slots_.push_back(slot(v));
        loop_extents_.push_back(s.extent(rank_of_var(c, v)));
    }
    for (const auto& st : plan.steps) {
        const Partition& p = c.partitions[st.partition];
        steps_.push_back({st.kind == DeriveStep::Kind::compose, slot(var_of_rank(p.parent)), slot(var_of_rank(p.outer)),
                          slot(var_of_rank(p.inner)), s.extent(p.inner), s.extent(p.parent)});
    }
    if (e.filter) {
        has_filter_ = true;
        filter_ = compile(*e.filter);
    }
}

int IterationSpace::slot(const std::string& var) const {
    auto it = std::find(names_.begin(), names_.end(), var);
    return it == names_.end() ? -1 : static_cast<int>(it - names_.begin());
}

AffineForm IterationSpace::compile(const IndexExpr& ix) const {
    AffineForm f;
    f.constant = ix.constant;
    for (const auto& t : ix.terms) {
        std::int64_t k = t.coeff * (t.factor.empty() ? 1 : shape_.factor(t.factor));
        if (t.var.empty()) f.constant += k;
        else f.terms.emplace_back(slot(t.var), k);
    }
    return f;
}

CompiledPredicate IterationSpace::compile(const Predicate& p) const {
    CompiledPredicate cp;
    cp.kind = p.kind;
    cp.op = p.op;
    if (p.kind == Predicate::Kind::compare) {
        cp.lhs = compile(p.lhs);
        cp.rhs = compile(p.rhs);
    }
    for (const auto& ch : p.children) cp.children.push_back(compile(ch));
    return cp;
}

bool IterationSpace::derive(std::vector<std::int64_t>& env) const {
    for (const auto& st : steps_) {
        if (st.compose) {
            std::int64_t v = env[st.outer] * st.inner_extent + env[st.inner];
            if (v >= st.parent_extent) return false; // past the end of a short last tile
            env[st.parent] = v;
        } else {
            env[st.outer] = env[st.parent] / st.inner_extent;
            env[st.inner] = env[st.parent] % st.inner_extent;
        }
    }
    return !has_filter_ || filter_(env);
}

void IterationSpace::for_each(const std::function<void(const std::vector<std::int64_t>&)>& f) const {
    std::vector<bool> all(loop_slots_.size(), true);
    walk(all, f);
}

void IterationSpace::walk(const std::vector<bool>& which,
                          const std::function<void(const std::vector<std::int64_t>&)>& f) const {
    std::vector<std::int64_t> env(names_.size(), 0);
    std::vector<std::size_t> dims;
    for (std::size_t d = 0; d < loop_slots_.size(); ++d) {
        if (loop_extents_[d] <= 0) return;
        if (which[d]) dims.push_back(d);
    }
    for (;;) {
        if (derive(env)) f(env);
        std::size_t k = dims.size();
        for (;;) {
            if (k == 0) return;
            --k;
            std::size_t d = dims[k];
            if (++env[loop_slots_[d]] < loop_extents_[d]) break;
            env[loop_slots_[d]] = 0;
        }
    }
}

std::int64_t IterationSpace::count() const {
    // Loop variables that a bound or the filter depends on are enumerated; the rest multiply.
    std::vector<std::vector<bool>> deps(names_.size(), std::vector<bool>(loop_slots_.size(), false));
    for (std::size_t d = 0; d < loop_slots_.size(); ++d) deps[loop_slots_[d]][d] = true;
    auto unite = [&](int into, int from) {
        for (std::size_t d = 0; d < loop_slots_.size(); ++d) deps[into][d] = deps[into][d] || deps[from][d];
    };
    std::vector<bool> involved(loop_slots_.size(), false);
    auto involve = [&](int slot) {
        for (std::size_t d = 0; d < loop_slots_.size(); ++d) involved[d] = involved[d] || deps[slot][d];
    };
    for (const auto& st : steps_) {
        if (st.compose) {
            unite(st.parent, st.outer);
            unite(st.parent, st.inner);
            involve(st.parent);
        } else {
            unite(st.outer, st.parent);
            unite(st.inner, st.parent);
        }
    }
    if (has_filter_) {
        std::vector<int> slots;
        collect_slots(filter_, slots);
        for (int sl : slots) involve(sl);
    }
    auto too_many = [&]() {
        return InputError(where_, "the iteration space of this Einsum has more than 2^63 points under shape " + shape_.str() +
                                      ": its counts do not fit in 64 bits");
    };
    std::int64_t free_product = 1;
    bool any = false;
    for (std::size_t d = 0; d < loop_slots_.size(); ++d) {
        if (involved[d]) any = true;
        else if (__builtin_mul_overflow(free_product, loop_extents_[d], &free_product)) throw too_many();
    }
    if (!any && !has_filter_) return free_product;
    std::int64_t n = 0;
    if (auto fast = count_innermost_closed_form(involved)) n = *fast;
    else {
        refuse_long_walk(involved);
        walk(involved, [&](const std::vector<std::int64_t>&) { ++n; });
    }
    if (__builtin_mul_overflow(n, free_product, &n)) throw too_many();
    return n;
}

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) { // b > 0
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// How many x in [0, extent) satisfy a x + v OP 0.
std::int64_t count_linear(std::int64_t a, std::int64_t v, CompareOp op, std::int64_t extent) {
    auto holds = [&](std::int64_t x) {
        switch (op) {
        case CompareOp::eq: return x == 0;
        case CompareOp::ne: return x != 0;
        case CompareOp::lt: return x < 0;
        case CompareOp::le: return x <= 0;
        case CompareOp::gt: return x > 0;
        case CompareOp::ge: return x >= 0;
        }
        return false;
    };
    if (a == 0) return holds(v) ? extent : 0;
    if (a < 0) { // a x + v OP 0  <=>  (-a) x + (-v) OP' 0, OP' the mirror of OP
        a = -a, v = -v;
        op = op == CompareOp::lt ? CompareOp::gt : op == CompareOp::gt ? CompareOp::lt : op == CompareOp::le ? CompareOp::ge
             : op == CompareOp::ge                                      ? CompareOp::le
                                                                        : op;
    }
    const std::int64_t t = -v; // a x OP t
    auto below = [&](std::int64_t last) { return std::clamp<std::int64_t>(last + 1, 0, extent); }; // x in [0, extent) with x <= last
    switch (op) {
    case CompareOp::lt: return below(floor_div(t - 1, a));
    case CompareOp::le: return below(floor_div(t, a));
    case CompareOp::gt: return extent - below(floor_div(t, a));
    case CompareOp::ge: return extent - below(floor_div(t - 1, a));
    case CompareOp::eq: return t % a == 0 && t / a >= 0 && t / a < extent ? 1 : 0;
    case CompareOp::ne: return extent - (t % a == 0 && t / a >= 0 && t / a < extent ? 1 : 0);
    }
    return 0;
}

} // namespace

void IterationSpace::refuse_long_walk(const std::vector<bool>& dims) const {
    // Counting walks these loops point by point: past 2^30 points (seconds to minutes) it would look
    // like a hang, so such a shape is refused rather than counted.
    constexpr std::int64_t most = std::int64_t(1) << 30;
    std::int64_t points = 1;
    for (std::size_t d = 0; d < loop_slots_.size(); ++d)
        if (dims[d] && (__builtin_mul_overflow(points, loop_extents_[d], &points) || points > most))
            throw InputError(where_, "counting this Einsum's points under shape " + shape_.str() + " would walk more than 2^30 points of the loops " +
                                         "its filter or short tiles constrain: too large to count exactly");
}

std::optional<std::int64_t> IterationSpace::count_innermost_closed_form(const std::vector<bool>& involved) const {
    // Enumerate every involved loop but the innermost, z, and count z's valid values in closed form,
    // where z enters one linear constraint and nothing else depends on it:
    //  (a) the filter is one comparison of affine forms and no derivation step reads z, or
    //  (b) z is the inner part of one composed rank (outer * inner_extent + z < parent_extent, a short
    //      last tile) that no later step and no filter reads, and no other step reads z.
    // deltallm at M = P = 1M: 1e6 steps instead of 1e12; leanattention at 16M keys: its tiles, not its keys.
    std::vector<std::size_t> dims;
    for (std::size_t d = 0; d < loop_slots_.size(); ++d) {
        if (loop_extents_[d] <= 0) return 0;
        if (involved[d]) dims.push_back(d);
    }
    if (dims.empty()) return std::nullopt;
    const std::size_t z = dims.back();
    const int zslot = loop_slots_[z];
    dims.pop_back();
    std::vector<bool> outer(loop_slots_.size(), false);
    for (std::size_t d : dims) outer[d] = true;
    auto filter_reads = [&](int slot) {
        std::vector<int> slots;
        if (has_filter_) collect_slots(filter_, slots);
        return std::find(slots.begin(), slots.end(), slot) != slots.end();
    };
    auto step_reads = [&](const Step& st, int slot) { return st.compose ? st.outer == slot || st.inner == slot : st.parent == slot; };
    int bound = -1; // (b): the composing step z is the inner part of
    for (std::size_t k = 0; k < steps_.size(); ++k)
        if (step_reads(steps_[k], zslot)) {
            if (bound >= 0 || !steps_[k].compose || steps_[k].inner != zslot) return std::nullopt;
            bound = int(k);
        }
    std::int64_t a = 0;
    if (bound < 0) { // (a)
        if (!has_filter_ || filter_.kind != Predicate::Kind::compare || !filter_reads(zslot)) return std::nullopt;
        for (auto [slot, k] : filter_.lhs.terms)
            if (slot == zslot) a += k;
        for (auto [slot, k] : filter_.rhs.terms)
            if (slot == zslot) a -= k;
    } else { // (b)
        const Step& b = steps_[std::size_t(bound)];
        if (filter_reads(zslot) || filter_reads(b.parent)) return std::nullopt;
        for (std::size_t k = std::size_t(bound) + 1; k < steps_.size(); ++k)
            if (step_reads(steps_[k], b.parent)) return std::nullopt;
    }
    refuse_long_walk(outer);
    std::vector<std::int64_t> env(names_.size(), 0);
    std::int64_t n = 0;
    for (;;) {
        env[zslot] = 0;
        // The steps at z = 0 (b: without its own bound), then z's count.
        bool ok = true;
        for (std::size_t k = 0; k < steps_.size() && ok; ++k) {
            const Step& st = steps_[k];
            if (st.compose) {
                const std::int64_t v = env[st.outer] * st.inner_extent + env[st.inner];
                if (int(k) != bound && v >= st.parent_extent) ok = false;
                env[st.parent] = v;
            } else {
                env[st.outer] = env[st.parent] / st.inner_extent;
                env[st.inner] = env[st.parent] % st.inner_extent;
            }
        }
        std::int64_t here = 0;
        if (ok && bound < 0) {
            here = count_linear(a, filter_.lhs(env) - filter_.rhs(env), filter_.op, loop_extents_[z]);
        } else if (ok && (!has_filter_ || filter_(env))) {
            const Step& b = steps_[std::size_t(bound)];
            here = std::clamp<std::int64_t>(b.parent_extent - env[b.outer] * b.inner_extent, 0, loop_extents_[z]);
        }
        if (__builtin_add_overflow(n, here, &n)) return std::nullopt;
        std::size_t k = dims.size();
        for (;;) {
            if (k == 0) return n;
            --k;
            const std::size_t d = dims[k];
            if (++env[loop_slots_[d]] < loop_extents_[d]) break;
            env[loop_slots_[d]] = 0;
        }
    }
}

void IterationSpace::collect_slots(const CompiledPredicate& p, std::vector<int>& out) {
    for (const auto* f : {&p.lhs, &p.rhs})
        for (auto [slot, k] : f->terms) out.push_back(slot);
    for (const auto& ch : p.children) collect_slots(ch, out);
}

} // namespace einsum
