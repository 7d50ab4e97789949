// Parsers for the small languages inside a cascade file: tensor accesses with index expressions
// (`RM[b,h,m1+1,p]`), value expressions (`exp(BQK[m1,m0,p] - RM[m1+1,p])`) and predicates
// (`m + W > M - P + p`).
#pragma once
#include <stdexcept>
#include <string>

#include "einsum/expr.h"

namespace einsum {

// A syntax error at a 0-based column of the parsed string.
class ExprSyntaxError : public std::runtime_error {
public:
    ExprSyntaxError(int column, const std::string& what) : std::runtime_error(what), column(column) {}
    int column;
};

IndexExpr parse_index_expr(const std::string& text);
Access parse_access(const std::string& text);
Expr parse_expr(const std::string& text);
Predicate parse_predicate(const std::string& text);

} // namespace einsum
