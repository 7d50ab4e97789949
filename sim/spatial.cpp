#include "sim/spatial.h"

#include <filesystem>

#include "mappings/instantiate.h"
#include "mappings/legality.h"
#include "mappings/nest_eval.h"
#include "sim/analytical/model.h"
#include "sim/analytical/space_cost.h"

namespace sim {

SpatialPoint prepare_spatial(const einsum::Cascade& c, const einsum::ShapeBinding& shape, const mappings::Mapping& tmpl,
                             const arch::SpatialArch& a) {
    std::string stem = std::filesystem::path(c.file).stem().string();
    if (tmpl.cascade != c.name && tmpl.cascade != stem)
        throw einsum::InputError(tmpl.where("cascade"), "mapping " + tmpl.name + " is for cascade '" + tmpl.cascade + "', not '" + c.name + "'");
    SpatialPoint p;
    std::optional<mappings::NestPlan> plan; // compiled once when the template fits tiles
    p.mapping = mappings::instantiate(tmpl, c, shape, a, plan);
    p.shape = mappings::mapped_shape(c, shape, p.mapping);
    p.nest = plan ? mappings::evaluate_loop_nest(*plan, c, p.shape, p.mapping, a) : mappings::build_loop_nest(c, p.shape, p.mapping, a);
    mappings::check_legal(c, p.mapping, a, p.nest);
    return p;
}

Result simulate_spatial(const einsum::Cascade& c, const einsum::ShapeBinding& shape, const mappings::Mapping& tmpl,
                        const arch::SpatialArch& a, const std::string& arch_name) {
    SpatialPoint p = prepare_spatial(c, shape, tmpl, a);
    Result r = simulate_analytical(c, p.shape, p.mapping, a, p.nest);
    r.arch = arch_name;
    return r;
}

mappings::CostFn spatial_cost_function(const einsum::Cascade& c, const einsum::ShapeBinding& shape, const arch::SpatialArch& a) {
    mappings::BindableCost cost;
    cost.per_mapping = [&c, shape, a](const mappings::Mapping& m) -> std::optional<mappings::Cost> {
        try {
            einsum::Shape s = mappings::mapped_shape(c, shape, m);
            mappings::LoopNest nest = mappings::build_loop_nest(c, s, m, a);
            if (!mappings::violations(c, m, a, nest).empty()) return std::nullopt;
            Result r = simulate_analytical(c, s, m, a, nest);
            return mappings::Cost{r.cycles, r.energy_pj};
        } catch (const einsum::InputError&) {
            return std::nullopt;
        }
    };
    // The mapper's points: compiled once per space, the same model without a Mapping per point.
    cost.bind = [&c, shape, a](const mappings::SearchSpace& space) { return bind_analytical_cost(c, shape, a, space); };
    return cost;
}

} // namespace sim
