// Affine coordinate expressions used to index tensors: `m1+1`, `m1*M0+m0`, `M1` (a constant extent).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace einsum {

// One term: coeff * var * factor, where var is a rank variable (lower case, may be empty for a
// constant term) and factor the extent of a rank or an integer parameter (may be empty).
struct IndexTerm {
    std::int64_t coeff = 1;
    std::string var;    // rank variable, e.g. "m1"; empty for a constant term
    std::string factor; // upper-case extent or parameter name, e.g. "M0"; empty when none
    bool operator==(const IndexTerm&) const = default;
};

struct IndexExpr {
    std::vector<IndexTerm> terms;
    std::int64_t constant = 0;
    bool operator==(const IndexExpr&) const = default;

    // The single variable this expression is built around (`m1` in `m1+1`), or empty.
    std::string single_var() const;
    // Offset added to single_var() when the expression is `var + k`; only meaningful if is_var_plus_const().
    bool is_var_plus_const() const;
    // True when no rank variable appears (the expression is a constant given the shapes).
    bool is_constant() const;
    std::vector<std::string> vars() const;
    std::vector<std::string> factors() const;
    std::string str() const;
};

enum class CompareOp { eq, ne, lt, le, gt, ge };

// A predicate over coordinates: comparisons of index expressions joined by && and ||.
struct Predicate {
    enum class Kind { compare, all_of, any_of } kind = Kind::compare;
    CompareOp op = CompareOp::eq;
    IndexExpr lhs, rhs;
    std::vector<Predicate> children;
    std::vector<std::string> vars() const;
    std::vector<std::string> factors() const;
    std::string str() const;
};

} // namespace einsum
