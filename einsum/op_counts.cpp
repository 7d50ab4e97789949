#include "einsum/op_counts.h"

#include "einsum/iteration_space.h"

namespace einsum {
namespace {
void count_expr(const Expr& x, std::map<std::string, std::int64_t>& per_point) {
    if (x.kind == Expr::Kind::op) per_point[name(x.op)] += 1;
    for (const auto& a : x.args) count_expr(a, per_point);
}
} // namespace

bool is_contraction(const Einsum& e) {
    if (e.reduced_vars.empty() || e.reduce != ReduceOp::sum) return false;
    const Expr& x = e.expr;
    if (x.kind != Expr::Kind::op || x.op != MapOp::mul) return false;
    int operands = 0;
    for (const auto& a : x.args) operands += a.kind == Expr::Kind::access;
    return operands == 2;
}

CascadeOps count_ops(const Cascade& c, const Shape& s) {
    CascadeOps total;
    for (const auto& e : c.einsums) {
        // Every product and sum is checked: a count past 64 bits is refused, never printed wrapped.
        auto checked = [&](bool wrapped, const std::string& what) {
            if (wrapped)
                throw InputError(e.where.file.empty() ? SourceLocation{c.file, 0, 0, ""} : e.where,
                                 "the " + what + " count under shape " + s.str() + " does not fit in 64 bits");
        };
        EinsumOps eo;
        eo.name = e.name;
        eo.points = IterationSpace(c, e, s).count();
        std::map<std::string, std::int64_t> per_point;
        count_expr(e.expr, per_point);
        if (!e.reduced_vars.empty()) per_point[e.reduce == ReduceOp::sum ? "add" : name(e.reduce)] += 1;
        for (const auto& [op, n] : per_point) checked(__builtin_mul_overflow(n, eo.points, &eo.ops[op]), op);
        if (is_contraction(e)) eo.macs = eo.points;
        for (const auto& [op, n] : eo.ops) checked(__builtin_add_overflow(total.totals[op], n, &total.totals[op]), "total " + op);
        std::int64_t flops = 0;
        checked(__builtin_add_overflow(total.macs, eo.macs, &total.macs) || __builtin_mul_overflow(total.macs, 2, &flops),
                "total multiply-accumulate");
        total.einsums.push_back(eo);
    }
    return total;
}

} // namespace einsum
