// The right-hand side of an Einsum: map actions (elementwise operators) over tensor accesses.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "einsum/index_expr.h"

namespace einsum {

// Elementwise operators an Einsum may apply (its map actions).
enum class MapOp { add, sub, mul, div, max, min, neg, exp, threshold, select };

// Reductions over the ranks that are iterated but do not appear in the output.
enum class ReduceOp { sum, max, min };

const char* name(MapOp op);
const char* name(ReduceOp op);
// Identity element of a reduction (0, -inf, +inf).
double identity(ReduceOp op);

struct Access {
    std::string tensor;
    std::vector<IndexExpr> index;
    int column = 0; // 0-based offset in the source string, for error messages
    std::string str() const;
};

struct Expr {
    enum class Kind { constant, param, access, op } kind = Kind::constant;
    double value = 0;            // constant
    std::string param;           // param
    Access access;               // access
    MapOp op = MapOp::add;       // op
    Predicate condition;         // op == select
    std::vector<Expr> args;      // op operands
    std::string str() const;

    // Every tensor access in this expression, in reading order.
    void collect_accesses(std::vector<const Access*>& out) const;
    void collect_params(std::vector<std::string>& out) const;
};

} // namespace einsum
