// The points an Einsum visits under a shape: its loop variables' ranges, the coordinates derived
// through partitions, the bounds those derivations impose (the short last tile) and its `where`.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "einsum/cascade.h"
#include "einsum/shape.h"

namespace einsum {

// An affine function of the coordinate slots: constant + Σ coeff·slot.
struct AffineForm {
    std::int64_t constant = 0;
    std::vector<std::pair<int, std::int64_t>> terms; // (slot, coeff)
    std::int64_t operator()(const std::vector<std::int64_t>& env) const {
        std::int64_t v = constant;
        for (auto [slot, k] : terms) v += k * env[slot];
        return v;
    }
};

struct CompiledPredicate {
    Predicate::Kind kind = Predicate::Kind::compare;
    CompareOp op = CompareOp::eq;
    AffineForm lhs, rhs;
    std::vector<CompiledPredicate> children;
    bool operator()(const std::vector<std::int64_t>& env) const;
};

class IterationSpace {
public:
    IterationSpace(const Cascade& c, const Einsum& e, const Shape& s);

    // Slot of a variable in the coordinate environment, or -1.
    int slot(const std::string& var) const;
    const std::vector<std::string>& slot_names() const { return names_; }
    AffineForm compile(const IndexExpr& ix) const;
    CompiledPredicate compile(const Predicate& p) const;

    // Calls f(env) for every valid point, loop variables in order (the first varies slowest).
    void for_each(const std::function<void(const std::vector<std::int64_t>&)>& f) const;
    // Number of valid points (closed form when no bound or filter constrains the loops). Throws
    // InputError when the count does not fit in 64 bits.
    std::int64_t count() const;

private:
    struct Step {
        bool compose;
        int parent, outer, inner;
        std::int64_t inner_extent, parent_extent;
    };
    bool derive(std::vector<std::int64_t>& env) const;
    void walk(const std::vector<bool>& which, const std::function<void(const std::vector<std::int64_t>&)>& f) const;
    static void collect_slots(const CompiledPredicate& p, std::vector<int>& out);
    // count() of `involved` loops with the innermost counted in closed form, where it enters one
    // linear constraint (the filter's one comparison, or one composed rank's bound); nullopt otherwise.
    std::optional<std::int64_t> count_innermost_closed_form(const std::vector<bool>& involved) const;
    // Throws InputError when walking the loops marked in `dims` would visit more than 2^30 points.
    void refuse_long_walk(const std::vector<bool>& dims) const;

    const Shape& shape_;
    SourceLocation where_; // the Einsum, for the overflow message
    std::vector<std::string> names_;
    std::vector<int> loop_slots_;
    std::vector<std::int64_t> loop_extents_;
    std::vector<Step> steps_;
    bool has_filter_ = false;
    CompiledPredicate filter_;
};

} // namespace einsum
