#include "einsum/expr.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace einsum {

const char* name(MapOp op) {
    switch (op) {
    case MapOp::add: return "add";
    case MapOp::sub: return "sub";
    case MapOp::mul: return "mul";
    case MapOp::div: return "div";
    case MapOp::max: return "max";
    case MapOp::min: return "min";
    case MapOp::neg: return "neg";
    case MapOp::exp: return "exp";
    case MapOp::threshold: return "threshold";
    case MapOp::select: return "select";
    }
    return "?";
}

const char* name(ReduceOp op) {
    switch (op) {
    case ReduceOp::sum: return "sum";
    case ReduceOp::max: return "max";
    case ReduceOp::min: return "min";
    }
    return "?";
}

double identity(ReduceOp op) {
    switch (op) {
    case ReduceOp::sum: return 0.0;
    case ReduceOp::max: return -std::numeric_limits<double>::infinity();
    case ReduceOp::min: return std::numeric_limits<double>::infinity();
    }
    return 0.0;
}

std::string Access::str() const {
    std::string s = tensor + "[";
    for (std::size_t i = 0; i < index.size(); ++i) s += (i ? "," : "") + index[i].str();
    return s + "]";
}

static std::string number_str(double v) {
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    std::ostringstream os;
    os << v;
    return os.str();
}

std::string Expr::str() const {
    switch (kind) {
    case Kind::constant: return number_str(value);
    case Kind::param: return param;
    case Kind::access: return access.str();
    case Kind::op: break;
    }
    auto bin = [&](const char* sym) { return "(" + args[0].str() + " " + sym + " " + args[1].str() + ")"; };
    switch (op) {
    case MapOp::add: return bin("+");
    case MapOp::sub: return bin("-");
    case MapOp::mul: return bin("*");
    case MapOp::div: return bin("/");
    case MapOp::neg: return "-" + args[0].str();
    case MapOp::select: return "if(" + condition.str() + ", " + args[0].str() + ", " + args[1].str() + ")";
    default: break;
    }
    std::string s = std::string(name(op)) + "(";
    for (std::size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i].str();
    return s + ")";
}

void Expr::collect_accesses(std::vector<const Access*>& out) const {
    if (kind == Kind::access) out.push_back(&access);
    for (const auto& a : args) a.collect_accesses(out);
}

void Expr::collect_params(std::vector<std::string>& out) const {
    if (kind == Kind::param && std::find(out.begin(), out.end(), param) == out.end()) out.push_back(param);
    for (const auto& a : args) a.collect_params(out);
}

} // namespace einsum
