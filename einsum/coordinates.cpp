#include "einsum/coordinates.h"

#include <algorithm>

namespace einsum {

CoordPlan plan_coordinates(const Cascade& c, const std::vector<std::string>& iterated, bool compose) {
    CoordPlan plan;
    plan.iterated = iterated;
    plan.available.insert(iterated.begin(), iterated.end());
    bool changed = true;
    while (changed) {
        changed = false;
        for (std::size_t i = 0; i < c.partitions.size(); ++i) {
            const auto& p = c.partitions[i];
            std::string pv = var_of_rank(p.parent), ov = var_of_rank(p.outer), iv = var_of_rank(p.inner);
            bool has_p = plan.available.count(pv), has_o = plan.available.count(ov), has_i = plan.available.count(iv);
            if (has_p && (!has_o || !has_i)) {
                plan.steps.push_back({DeriveStep::Kind::decompose, static_cast<int>(i)});
                plan.available.insert(ov);
                plan.available.insert(iv);
                changed = true;
            } else if (compose && !has_p && has_o && has_i) {
                plan.steps.push_back({DeriveStep::Kind::compose, static_cast<int>(i)});
                plan.available.insert(pv);
                changed = true;
            }
        }
    }
    return plan;
}

std::vector<std::string> choose_loop_vars(const Cascade& c, const std::vector<std::string>& mentioned,
                                          const std::string& recurrence_var) {
    std::vector<std::string> vars = mentioned;
    // First drop parts derivable from a mentioned whole, through any chain (b from t via bh), then
    // wholes composable from mentioned parts (m from m1 and m0).
    auto derivable_without = [&](const std::string& v, bool compose) {
        std::vector<std::string> others;
        for (const auto& o : vars)
            if (o != v) others.push_back(o);
        return plan_coordinates(c, others, compose).available.count(v) > 0;
    };
    for (bool compose : {false, true}) {
        bool changed = true;
        while (changed) {
            changed = false;
            for (const auto& v : vars) {
                if (v == recurrence_var) continue;
                if (derivable_without(v, compose)) {
                    vars.erase(std::find(vars.begin(), vars.end(), v));
                    changed = true;
                    break;
                }
            }
        }
    }
    if (!recurrence_var.empty()) {
        auto it = std::find(vars.begin(), vars.end(), recurrence_var);
        if (it != vars.end()) vars.erase(it);
        vars.insert(vars.begin(), recurrence_var);
    }
    return vars;
}

} // namespace einsum
