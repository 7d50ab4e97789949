#include <doctest/doctest.h>

#include <cmath>

#include "einsum/expr_parser.h"

using namespace einsum;

TEST_CASE("index expressions parse into affine terms") {
    IndexExpr e = parse_index_expr("m1*M0+m0");
    REQUIRE(e.terms.size() == 2);
    CHECK(e.terms[0].var == "m1");
    CHECK(e.terms[0].factor == "M0");
    CHECK(e.terms[1].var == "m0");
    CHECK(e.str() == "m1*M0+m0");
    IndexExpr shifted = parse_index_expr("m1+1");
    CHECK(shifted.is_var_plus_const());
    CHECK(shifted.constant == 1);
    CHECK(parse_index_expr("M1").is_constant());
    CHECK(parse_index_expr("2*m - 3").str() == "2*m-3");
}

TEST_CASE("value expressions keep operator structure") {
    Expr e = parse_expr("exp(QK[m,p] - GM[p])");
    REQUIRE(e.kind == Expr::Kind::op);
    CHECK(e.op == MapOp::exp);
    CHECK(e.str() == "exp((QK[m,p] - GM[p]))");
    Expr sel = parse_expr("if(m + W > M - P + p, QK[m,p], -inf)");
    CHECK(sel.op == MapOp::select);
    CHECK(sel.condition.op == CompareOp::gt);
    CHECK(std::isinf(sel.args[1].value));
    CHECK(sel.args[1].value < 0);
}

TEST_CASE("syntax errors carry the column of the offending token") {
    try {
        parse_expr("Q[e,p] * * K[e,m]");
        FAIL("expected an error");
    } catch (const ExprSyntaxError& e) {
        CHECK(e.column == 9);
    }
    try {
        parse_expr("sqrt(QK[m,p])");
        FAIL("expected an error");
    } catch (const ExprSyntaxError& e) {
        CHECK(e.column == 0);
        CHECK(std::string(e.what()).find("unsupported operator 'sqrt'") != std::string::npos);
    }
    CHECK_THROWS_AS(parse_index_expr("m*m0"), ExprSyntaxError);
    CHECK_THROWS_AS(parse_predicate("m + 1"), ExprSyntaxError);
}
