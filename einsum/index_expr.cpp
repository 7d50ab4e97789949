#include "einsum/index_expr.h"

#include <algorithm>

namespace einsum {

std::vector<std::string> IndexExpr::vars() const {
    std::vector<std::string> out;
    for (const auto& t : terms)
        if (!t.var.empty() && std::find(out.begin(), out.end(), t.var) == out.end()) out.push_back(t.var);
    return out;
}

std::vector<std::string> IndexExpr::factors() const {
    std::vector<std::string> out;
    for (const auto& t : terms)
        if (!t.factor.empty() && std::find(out.begin(), out.end(), t.factor) == out.end()) out.push_back(t.factor);
    return out;
}

std::string IndexExpr::single_var() const {
    auto v = vars();
    return v.size() == 1 ? v.front() : std::string();
}

bool IndexExpr::is_var_plus_const() const {
    return terms.size() == 1 && !terms[0].var.empty() && terms[0].factor.empty() && terms[0].coeff == 1;
}

bool IndexExpr::is_constant() const { return vars().empty(); }

std::string IndexExpr::str() const {
    std::string s;
    for (const auto& t : terms) {
        std::string body;
        if (!t.var.empty()) body = t.var;
        if (!t.factor.empty()) body += (body.empty() ? "" : "*") + t.factor;
        std::int64_t c = t.coeff;
        if (!s.empty()) s += c < 0 ? "-" : "+";
        else if (c < 0) s += "-";
        if (c < 0) c = -c;
        if (body.empty()) s += std::to_string(c);
        else s += (c != 1 ? std::to_string(c) + "*" : "") + body;
    }
    if (constant != 0 || s.empty()) {
        if (s.empty()) s = std::to_string(constant);
        else s += (constant < 0 ? "-" : "+") + std::to_string(constant < 0 ? -constant : constant);
    }
    return s;
}

static void merge_unique(std::vector<std::string>& into, const std::vector<std::string>& more) {
    for (const auto& v : more)
        if (std::find(into.begin(), into.end(), v) == into.end()) into.push_back(v);
}

std::vector<std::string> Predicate::vars() const {
    std::vector<std::string> out;
    if (kind == Kind::compare) {
        merge_unique(out, lhs.vars());
        merge_unique(out, rhs.vars());
    }
    for (const auto& c : children) merge_unique(out, c.vars());
    return out;
}

std::vector<std::string> Predicate::factors() const {
    std::vector<std::string> out;
    if (kind == Kind::compare) {
        merge_unique(out, lhs.factors());
        merge_unique(out, rhs.factors());
    }
    for (const auto& c : children) merge_unique(out, c.factors());
    return out;
}

std::string Predicate::str() const {
    static const char* names[] = {"==", "!=", "<", "<=", ">", ">="};
    if (kind == Kind::compare) return lhs.str() + " " + names[static_cast<int>(op)] + " " + rhs.str();
    std::string s = "(";
    for (std::size_t i = 0; i < children.size(); ++i) {
        if (i) s += kind == Kind::all_of ? " && " : " || ";
        s += children[i].str();
    }
    return s + ")";
}

} // namespace einsum
