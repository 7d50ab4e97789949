// A cost that the mapper can bind to one search space: it compiles what every point of the space
// shares (the base mapping's structure) once, then evaluates each point from its knob options, with
// no Mapping copied or built. The result must equal the CostFn's on the point's Mapping; the search
// uses it whenever the CostFn it is given holds a BindableCost that binds to the space.
#pragma once
#include <functional>
#include <memory>
#include <optional>

#include "mappings/search.h"

namespace mappings {

class PointCost {
public:
    virtual ~PointCost() = default;
    // The cost of the point with these options, one per knob of the space; nullopt when illegal.
    virtual std::optional<Cost> operator()(const int* options) = 0;
    // An evaluator of the same space for another thread (they share what was compiled).
    virtual std::unique_ptr<PointCost> clone() const = 0;
};

struct BindableCost {
    std::function<std::optional<Cost>(const Mapping&)> per_mapping;
    // nullptr when the space's knobs change more than the bound cost can evaluate.
    std::function<std::unique_ptr<PointCost>(const SearchSpace&)> bind;
    std::optional<Cost> operator()(const Mapping& m) const { return per_mapping(m); }
};

} // namespace mappings
