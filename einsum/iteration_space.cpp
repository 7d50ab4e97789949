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
    if (auto fast = count_one_comparison(involved)) n = *fast;
    else walk(involved, [&](const std::vector<std::int64_t>&) { ++n; });
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

std::optional<std::int64_t> IterationSpace::count_one_comparison(const std::vector<bool>& involved) const {
    // A filter that is one comparison of affine forms of loop variables (a window, a causal mask),
    // with no tiles composed into a parent: enumerate every involved loop but the innermost, and
    // count the innermost's values in closed form (deltallm at M = P = 1M: 1e6 steps, not 1e12).
    if (!has_filter_ || filter_.kind != Predicate::Kind::compare) return std::nullopt;
    for (const auto& st : steps_)
        if (st.compose) return std::nullopt;
    std::vector<std::size_t> dims;
    for (std::size_t d = 0; d < loop_slots_.size(); ++d) {
        if (loop_extents_[d] <= 0) return 0;
        if (involved[d]) dims.push_back(d);
    }
    auto is_loop_slot = [&](int slot) { return std::find(loop_slots_.begin(), loop_slots_.end(), slot) != loop_slots_.end(); };
    for (const auto* f : {&filter_.lhs, &filter_.rhs})
        for (auto [slot, k] : f->terms)
            if (!is_loop_slot(slot)) return std::nullopt;
    if (dims.empty()) return std::nullopt;
    const std::size_t z = dims.back();
    const int zslot = loop_slots_[z];
    std::int64_t a = 0;
    for (auto [slot, k] : filter_.lhs.terms)
        if (slot == zslot) a += k;
    for (auto [slot, k] : filter_.rhs.terms)
        if (slot == zslot) a -= k;
    dims.pop_back();
    std::vector<std::int64_t> env(names_.size(), 0);
    std::int64_t n = 0;
    for (;;) {
        env[zslot] = 0;
        const std::int64_t v = filter_.lhs(env) - filter_.rhs(env);
        if (__builtin_add_overflow(n, count_linear(a, v, filter_.op, loop_extents_[z]), &n)) return std::nullopt;
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
