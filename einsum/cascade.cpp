#include "einsum/cascade.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>

namespace einsum {

const char* name(RankRole role) {
    switch (role) {
    case RankRole::batch: return "batch";
    case RankRole::head: return "head";
    case RankRole::sequence: return "sequence";
    case RankRole::query: return "query";
    case RankRole::feature: return "feature";
    case RankRole::other: return "other";
    }
    return "?";
}

const RankDecl* Cascade::find_rank(const std::string& n) const {
    for (const auto& r : ranks)
        if (r.name == n) return &r;
    return nullptr;
}

std::string index_param_problem(double value) {
    constexpr double limit = double(std::int64_t{1} << 31);
    if (!(value == std::floor(value)) || std::fabs(value) > limit)
        return "it is used in an index expression or predicate, so it must be an integer between -2^31 and 2^31";
    return "";
}

const Param* Cascade::find_param(const std::string& n) const {
    for (const auto& p : params)
        if (p.name == n) return &p;
    return nullptr;
}

const Einsum* Cascade::find_einsum(const std::string& n) const {
    for (const auto& e : einsums)
        if (e.name == n) return &e;
    return nullptr;
}

std::vector<std::string> Cascade::all_ranks() const {
    std::vector<std::string> out;
    auto add = [&](const std::string& n) {
        if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    };
    for (const auto& r : ranks) add(r.name);
    for (const auto& p : partitions) {
        add(p.parent);
        add(p.outer);
        add(p.inner);
    }
    return out;
}

std::string var_of_rank(const std::string& rank) {
    std::string v = rank;
    for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return v;
}

std::string rank_of_var(const Cascade& c, const std::string& var) {
    for (const auto& r : c.all_ranks())
        if (var_of_rank(r) == var) return r;
    return {};
}

} // namespace einsum
