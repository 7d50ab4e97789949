#include "einsum/expr_parser.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

namespace einsum {
namespace {

// Nesting deeper than this (parentheses, calls, unary minus, or a chain of operators building a
// deep tree) is refused: every later pass over an Expr recurses, and the stack is finite.
constexpr int max_expr_depth = 256;

struct Token {
    enum class Kind { ident, number, symbol, end } kind = Kind::end;
    std::string text;
    int column = 0;
};

std::vector<Token> lex(const std::string& s) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
        Token t;
        t.column = static_cast<int>(i);
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t j = i;
            while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
            t.kind = Token::Kind::ident;
            t.text = s.substr(i, j - i);
            i = j;
        } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
            std::size_t j = i;
            while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
            if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
                std::size_t k = j + 1;
                if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
                if (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) {
                    j = k;
                    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
                }
            }
            t.kind = Token::Kind::number;
            t.text = s.substr(i, j - i);
            i = j;
        } else {
            static const char* two[] = {"==", "!=", "<=", ">=", "&&", "||"};
            t.kind = Token::Kind::symbol;
            t.text = std::string(1, c);
            for (const char* op : two)
                if (s.compare(i, 2, op) == 0) t.text = op;
            if (std::string("+-*/(),[]<>").find(c) == std::string::npos && t.text.size() == 1)
                throw ExprSyntaxError(t.column, std::string("unexpected character '") + c + "'");
            i += t.text.size();
        }
        out.push_back(t);
    }
    Token end;
    end.column = static_cast<int>(s.size());
    out.push_back(end);
    return out;
}

class Parser {
public:
    explicit Parser(const std::string& text) : toks_(lex(text)) {}

    const Token& peek() const { return toks_[pos_]; }
    bool at(const char* sym) const { return peek().kind == Token::Kind::symbol && peek().text == sym; }
    Token take() { return toks_[pos_++]; }
    void expect(const char* sym) {
        if (!at(sym)) fail(std::string("expected '") + sym + "'");
        ++pos_;
    }
    [[noreturn]] void fail(const std::string& what) const {
        const Token& t = peek();
        std::string found = t.kind == Token::Kind::end ? "end of text" : "'" + t.text + "'";
        throw ExprSyntaxError(t.column, what + ", found " + found);
    }
    void expect_end() {
        if (peek().kind != Token::Kind::end) fail("expected end of expression");
    }

    // index := term (('+'|'-') term)*;  term := factor ('*' factor)*
    IndexExpr index() {
        IndexExpr e;
        int sign = 1;
        if (at("-")) { take(); sign = -1; }
        index_term(e, sign);
        while (at("+") || at("-")) {
            sign = take().text == "+" ? 1 : -1;
            index_term(e, sign);
        }
        return e;
    }

    void index_term(IndexExpr& e, int sign) {
        const int column = peek().column;
        IndexTerm t;
        t.coeff = sign;
        bool any = false;
        for (;;) {
            const Token& tok = peek();
            if (tok.kind == Token::Kind::number) {
                if (tok.text.find_first_of(".eE") != std::string::npos) fail("expected an integer in an index expression");
                std::int64_t k = 0;
                auto [end, ec] = std::from_chars(tok.text.data(), tok.text.data() + tok.text.size(), k);
                if (ec != std::errc() || end != tok.text.data() + tok.text.size() || __builtin_mul_overflow(t.coeff, k, &t.coeff))
                    throw ExprSyntaxError(tok.column, "integer '" + tok.text + "' is too large for an index expression");
                take();
            } else if (tok.kind == Token::Kind::ident) {
                bool lower = std::islower(static_cast<unsigned char>(tok.text[0]));
                std::string& slot = lower ? t.var : t.factor;
                if (!slot.empty())
                    fail(lower ? "an index term may hold one rank variable only (not affine)"
                               : "an index term may hold one extent or parameter only");
                slot = take().text;
            } else {
                fail("expected a rank variable, an extent or an integer");
            }
            any = true;
            if (!at("*")) break;
            take();
        }
        if (!any) fail("expected an index term");
        if (t.var.empty() && t.factor.empty()) {
            if (__builtin_add_overflow(e.constant, t.coeff, &e.constant))
                throw ExprSyntaxError(column, "the constant of this index expression is too large");
        }
        else e.terms.push_back(t);
    }

    Access access() {
        Access a;
        const Token& name = peek();
        if (name.kind != Token::Kind::ident) fail("expected a tensor name");
        a.column = name.column;
        a.tensor = take().text;
        expect("[");
        if (!at("]")) {
            a.index.push_back(index());
            while (at(",")) { take(); a.index.push_back(index()); }
        }
        expect("]");
        return a;
    }

    // predicate := conj ('||' conj)*;  conj := atom ('&&' atom)*;  atom := '(' predicate ')' | index cmp index
    Predicate predicate() {
        Predicate first = conjunction();
        if (!at("||")) return first;
        Predicate any;
        any.kind = Predicate::Kind::any_of;
        any.children.push_back(first);
        while (at("||")) { take(); any.children.push_back(conjunction()); }
        return any;
    }
    Predicate conjunction() {
        Predicate first = comparison();
        if (!at("&&")) return first;
        Predicate all;
        all.kind = Predicate::Kind::all_of;
        all.children.push_back(first);
        while (at("&&")) { take(); all.children.push_back(comparison()); }
        return all;
    }
    Predicate comparison() {
        if (at("(")) {
            // Could be a parenthesised predicate; index expressions never use parentheses.
            Nest guard(*this);
            take();
            Predicate p = predicate();
            expect(")");
            return p;
        }
        Predicate p;
        p.lhs = index();
        static const std::pair<const char*, CompareOp> ops[] = {
            {"==", CompareOp::eq}, {"!=", CompareOp::ne}, {"<=", CompareOp::le},
            {">=", CompareOp::ge}, {"<", CompareOp::lt}, {">", CompareOp::gt}};
        bool found = false;
        for (auto [sym, op] : ops)
            if (at(sym)) { take(); p.op = op; found = true; break; }
        if (!found) fail("expected a comparison (==, !=, <, <=, >, >=)");
        p.rhs = index();
        return p;
    }

    // expr := mul (('+'|'-') mul)*;  mul := unary (('*'|'/') unary)*;  unary := '-' unary | primary
    // Each of these sets tree_depth_ to the depth of the tree it returns.
    Expr expr() {
        Expr lhs = mul();
        int depth = tree_depth_;
        while (at("+") || at("-")) {
            int column = peek().column;
            MapOp op = take().text == "+" ? MapOp::add : MapOp::sub;
            Expr rhs = mul();
            depth = deeper(std::max(depth, tree_depth_), column);
            lhs = binary(op, std::move(lhs), std::move(rhs));
        }
        tree_depth_ = depth;
        return lhs;
    }
    Expr mul() {
        Expr lhs = unary();
        int depth = tree_depth_;
        while (at("*") || at("/")) {
            int column = peek().column;
            MapOp op = take().text == "*" ? MapOp::mul : MapOp::div;
            Expr rhs = unary();
            depth = deeper(std::max(depth, tree_depth_), column);
            lhs = binary(op, std::move(lhs), std::move(rhs));
        }
        tree_depth_ = depth;
        return lhs;
    }
    Expr unary() {
        Nest guard(*this);
        if (at("-")) {
            int column = peek().column;
            take();
            Expr inner = unary();
            if (inner.kind == Expr::Kind::constant) { inner.value = -inner.value; return inner; }
            tree_depth_ = deeper(tree_depth_, column);
            Expr e;
            e.kind = Expr::Kind::op;
            e.op = MapOp::neg;
            e.args.push_back(std::move(inner));
            return e;
        }
        return primary();
    }
    Expr primary() {
        const Token& tok = peek();
        if (tok.kind == Token::Kind::number) {
            Expr e;
            e.value = number(tok);
            take();
            tree_depth_ = 1;
            return e;
        }
        if (at("(")) {
            take();
            Expr e = expr();
            expect(")");
            return e;
        }
        if (tok.kind != Token::Kind::ident) fail("expected a number, a tensor access, a function or a parameter");
        tree_depth_ = 1;
        if (tok.text == "inf") {
            take();
            Expr e;
            e.value = std::numeric_limits<double>::infinity();
            return e;
        }
        const Token& next = toks_[pos_ + 1];
        if (next.kind == Token::Kind::symbol && next.text == "[") {
            Expr e;
            e.kind = Expr::Kind::access;
            e.access = access();
            return e;
        }
        if (next.kind == Token::Kind::symbol && next.text == "(") return call();
        Expr e;
        e.kind = Expr::Kind::param;
        e.param = take().text;
        return e;
    }
    Expr call() {
        Token fn = take();
        expect("(");
        Expr e;
        e.kind = Expr::Kind::op;
        struct Fn { const char* name; MapOp op; int arity; };
        static const Fn fns[] = {{"exp", MapOp::exp, 1}, {"max", MapOp::max, 2}, {"min", MapOp::min, 2},
                                 {"threshold", MapOp::threshold, 2}, {"if", MapOp::select, 3}};
        const Fn* f = nullptr;
        for (const auto& cand : fns)
            if (fn.text == cand.name) f = &cand;
        if (!f)
            throw ExprSyntaxError(fn.column, "unsupported operator '" + fn.text +
                                                 "' (supported: exp, max, min, threshold, if, + - * /)");
        e.op = f->op;
        int depth = 0;
        if (f->op == MapOp::select) {
            e.condition = predicate();
            expect(",");
            e.args.push_back(expr());
            depth = std::max(depth, tree_depth_);
            expect(",");
            e.args.push_back(expr());
            depth = std::max(depth, tree_depth_);
        } else {
            e.args.push_back(expr());
            depth = std::max(depth, tree_depth_);
            while (at(",")) {
                take();
                e.args.push_back(expr());
                depth = std::max(depth, tree_depth_);
            }
            if (static_cast<int>(e.args.size()) != f->arity)
                throw ExprSyntaxError(fn.column, "operator '" + fn.text + "' takes " + std::to_string(f->arity) +
                                                     " operand(s), given " + std::to_string(e.args.size()));
        }
        expect(")");
        tree_depth_ = deeper(depth, fn.column);
        return e;
    }

private:
    // Counts the parser's own recursion (parentheses, calls, unary minus) against max_expr_depth.
    struct Nest {
        explicit Nest(Parser& p) : p(p) {
            if (++p.nesting_ > max_expr_depth)
                throw ExprSyntaxError(p.peek().column, "expression nested deeper than " + std::to_string(max_expr_depth) + " levels");
        }
        ~Nest() { --p.nesting_; }
        Parser& p;
    };
    // The depth of a node over children of depth `child`, refused past max_expr_depth.
    static int deeper(int child, int column) {
        if (child + 1 > max_expr_depth)
            throw ExprSyntaxError(column, "expression nested deeper than " + std::to_string(max_expr_depth) +
                                              " levels (a chain of operators counts one level per operator)");
        return child + 1;
    }
    // The value of a number token; a malformed or unrepresentable literal is a syntax error at it.
    static double number(const Token& tok) {
        const std::string& text = tok.text;
        bool digits = false;
        int dots = 0;
        for (char ch : text) {
            if (ch == 'e' || ch == 'E') break;
            dots += ch == '.';
            digits = digits || std::isdigit(static_cast<unsigned char>(ch));
        }
        errno = 0;
        char* end = nullptr;
        double v = std::strtod(text.c_str(), &end);
        if (dots > 1 || !digits || end != text.c_str() + text.size())
            throw ExprSyntaxError(tok.column, "malformed number '" + text + "'");
        if (errno == ERANGE && std::isinf(v))
            throw ExprSyntaxError(tok.column, "number '" + text + "' is too large for a double (write inf for infinity)");
        if (errno == ERANGE && v == 0)
            throw ExprSyntaxError(tok.column, "number '" + text + "' is too small for a double: it would round to 0 (write 0)");
        return v; // a subnormal (ERANGE with a nonzero value) is kept: it is representable
    }
    static Expr binary(MapOp op, Expr a, Expr b) {
        Expr e;
        e.kind = Expr::Kind::op;
        e.op = op;
        e.args.push_back(std::move(a));
        e.args.push_back(std::move(b));
        return e;
    }
    std::vector<Token> toks_;
    std::size_t pos_ = 0;
    int nesting_ = 0;
    int tree_depth_ = 0;
};

} // namespace

IndexExpr parse_index_expr(const std::string& text) {
    Parser p(text);
    IndexExpr e = p.index();
    p.expect_end();
    return e;
}

Access parse_access(const std::string& text) {
    Parser p(text);
    Access a = p.access();
    p.expect_end();
    return a;
}

Expr parse_expr(const std::string& text) {
    Parser p(text);
    Expr e = p.expr();
    p.expect_end();
    return e;
}

Predicate parse_predicate(const std::string& text) {
    Parser p(text);
    Predicate e = p.predicate();
    p.expect_end();
    return e;
}

} // namespace einsum
