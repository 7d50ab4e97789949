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

namespace {
ExprSyntaxError expr_error(const std::string& text) {
    try {
        parse_expr(text);
    } catch (const ExprSyntaxError& e) {
        return e;
    }
    FAIL("expected a syntax error for: " << text.substr(0, 80));
    throw; // unreachable
}
} // namespace

TEST_CASE("nesting past 256 levels is refused at the token that goes too deep, not a stack overflow") {
    // 5000 parentheses: the 257th level is the parenthesis at offset 256.
    auto parens = expr_error(std::string(5000, '(') + "Q[e,p]" + std::string(5000, ')'));
    CHECK(parens.column == 256);
    CHECK(std::string(parens.what()).find("nested deeper than 256 levels") != std::string::npos);
    // A unary minus chain recurses the same way.
    CHECK(expr_error(std::string(20000, '-') + "Q[e,p]").column == 256);
    // A flat chain of operators builds a tree one level deeper per operator: the 256th '+' is refused.
    std::string chain = "Q[e,p]";
    for (int i = 0; i < 2000; ++i) chain += " + Q[e,p]";
    auto flat = expr_error(chain);
    CHECK(flat.column == 9 * 256 - 2);
    CHECK(std::string(flat.what()).find("one level per operator") != std::string::npos);
    // 255 levels of parentheses and a chain of 255 operators are fine.
    CHECK_NOTHROW(parse_expr(std::string(255, '(') + "Q[e,p]" + std::string(255, ')')));
    std::string ok = "Q[e,p]";
    for (int i = 0; i < 255; ++i) ok += " + Q[e,p]";
    CHECK_NOTHROW(parse_expr(ok));
    // Predicates nest through parentheses too.
    try {
        parse_predicate(std::string(1000, '(') + "m > p" + std::string(1000, ')'));
        FAIL("expected an error");
    } catch (const ExprSyntaxError& e) {
        CHECK(e.column == 256);
    }
}

TEST_CASE("number literals are read whole or refused at their column") {
    auto dots = expr_error("Q[e,p] * 1.5.7");
    CHECK(dots.column == 9);
    CHECK(std::string(dots.what()).find("malformed number '1.5.7'") != std::string::npos);
    CHECK(std::string(expr_error("Q[e,p] * 1..5").what()).find("malformed number '1..5'") != std::string::npos);
    auto huge = expr_error("Q[e,p] * 1e400");
    CHECK(huge.column == 9);
    CHECK(std::string(huge.what()).find("number '1e400' is too large") != std::string::npos);
    auto tiny = expr_error("Q[e,p] * 1e-400");
    CHECK(tiny.column == 9);
    CHECK(std::string(tiny.what()).find("number '1e-400' is too small") != std::string::npos);
    // A subnormal is representable and kept; an ordinary literal reads as before.
    Expr sub = parse_expr("1e-310");
    CHECK(sub.value > 0);
    CHECK(sub.value < 1e-300);
    CHECK(parse_expr("2.5e3").value == 2500.0);
    CHECK(parse_expr("1.").value == 1.0);
    try {
        parse_index_expr("m + 99999999999999999999");
        FAIL("expected an error");
    } catch (const ExprSyntaxError& e) {
        CHECK(e.column == 4);
        CHECK(std::string(e.what()).find("too large for an index expression") != std::string::npos);
    }
}
