#include "mappings/instantiate.h"

#include <algorithm>

#include "mappings/legality.h"
#include "mappings/loop_nest.h"

namespace mappings {
namespace {

std::int64_t arch_value(const std::string& e, const arch::SpatialArch& a) {
    if (e == "array2d.rows") return a.array2d.rows;
    if (e == "array2d.cols") return a.array2d.cols;
    if (e == "array1d.lanes") return a.array1d.lanes;
    return std::stoll(e);
}

bool fits(const Mapping& m, const einsum::Cascade& c, const einsum::ShapeBinding& base, const arch::SpatialArch& a, std::string* why) {
    einsum::Shape s = mapped_shape(c, base, m);
    LoopNest nest = build_loop_nest(c, s, m, a);
    for (const auto& v : violations(c, m, a, nest))
        if (v.reason.find("capacity exceeded") != std::string::npos) {
            if (why) *why = v.reason;
            return false;
        }
    return true;
}

} // namespace

Mapping instantiate(const Mapping& tmpl, const einsum::Cascade& c, const einsum::ShapeBinding& base, const arch::SpatialArch& a) {
    Mapping m = tmpl;
    std::vector<std::string> fit_ranks;
    for (auto& [rank, t] : m.tiles) {
        if (t.expr.empty()) continue;
        if (t.expr.rfind("fit:", 0) == 0) {
            fit_ranks.push_back(rank);
            t.value = arch_value(t.expr.substr(4), a);
        } else {
            t.value = arch_value(t.expr, a);
        }
        t.expr.clear();
    }
    // Shrink the fitted tiles one halving at a time, the last-listed first, until the mapping fits.
    std::string why;
    while (!fits(m, c, base, a, &why)) {
        bool shrunk = false;
        for (auto it = fit_ranks.rbegin(); it != fit_ranks.rend(); ++it) {
            TileValue& t = m.tiles[*it];
            if (t.value > 1) {
                std::int64_t p = 1;
                while (p * 2 < t.value) p *= 2;
                t.value = p; // next power of two below
                shrunk = true;
                break;
            }
        }
        if (!shrunk)
            throw einsum::InputError(tmpl.where("tiles"), "mapping template " + tmpl.name + " cannot fit this shape: " + why);
    }
    return m;
}

} // namespace mappings
