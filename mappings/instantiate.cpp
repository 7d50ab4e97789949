#include "mappings/instantiate.h"

#include <algorithm>
#include <optional>

#include "mappings/legality.h"
#include "mappings/loop_nest.h"
#include "mappings/nest_eval.h"
#include "mappings/nest_plan.h"

namespace mappings {
namespace {

std::int64_t arch_value(const std::string& e, const arch::SpatialArch& a) {
    if (e == "array2d.rows") return a.array2d.rows;
    if (e == "array2d.cols") return a.array2d.cols;
    if (e == "array1d.lanes") return a.array1d.lanes;
    return std::stoll(e);
}

// Whether the mapping's groups fit their buffers. The fitted tiles change values only, so the
// structure is compiled (and checked, as build_loop_nest does) once and evaluated per choice.
struct Fitter {
    const einsum::Cascade& c;
    const einsum::ShapeBinding& base;
    const arch::SpatialArch& a;
    std::optional<NestPlan>& plan;
    NestNumbers numbers;

    bool fits(const Mapping& m) {
        einsum::Shape s = mapped_shape(c, base, m);
        if (!plan) {
            plan = compile_nest(c, m, a, &s);
            prepare_numbers(*plan, numbers);
        }
        ShapeInputs in = shape_inputs(*plan, c, s);
        std::vector<std::int64_t> tiles = tile_values(*plan, m);
        if (!evaluate_nest(*plan, {in.rank_extents.data(), in.points.data(), tiles.data(), nullptr}, numbers))
            build_loop_nest(c, s, m, a); // throws the located error: the tiles do not cover a split rank
        return fits_capacity(numbers, a);
    }

    // The capacity violation that keeps the mapping from fitting.
    Violation why(const Mapping& m) const {
        einsum::Shape s = mapped_shape(c, base, m);
        for (const auto& v : violations(c, m, a, build_loop_nest(c, s, m, a)))
            if (v.reason.find("capacity exceeded") != std::string::npos) return v;
        return {};
    }
};

} // namespace

Mapping instantiate(const Mapping& tmpl, const einsum::Cascade& c, const einsum::ShapeBinding& base, const arch::SpatialArch& a) {
    std::optional<NestPlan> plan;
    return instantiate(tmpl, c, base, a, plan);
}

Mapping instantiate(const Mapping& tmpl, const einsum::Cascade& c, const einsum::ShapeBinding& base, const arch::SpatialArch& a,
                    std::optional<NestPlan>& plan) {
    plan.reset();
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
    if (fit_ranks.empty()) return m; // nothing to choose: legality is checked as for any mapping
    // Shrink the fitted tiles to the next power of two, in reverse name order, until the mapping fits.
    Fitter fitter{c, base, a, plan, {}};
    while (!fitter.fits(m)) {
        bool shrunk = false;
        for (auto it = fit_ranks.rbegin(); it != fit_ranks.rend(); ++it) {
            TileValue& t = m.tiles[*it];
            if (t.value > 1) {
                std::int64_t p = 1;
                while (p <= (t.value - 1) / 2) p *= 2; // p * 2 < t.value, without overflowing
                t.value = p; // next power of two below
                shrunk = true;
                break;
            }
        }
        if (!shrunk) {
            Violation why = fitter.why(m);
            throw einsum::InputError(tmpl.where(why.key_path), "mapping template " + tmpl.name + " cannot fit this shape even with every fitted tile at 1: " + why.reason);
        }
    }
    return m;
}

} // namespace mappings
