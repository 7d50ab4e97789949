// One sweep point → one CSV row: the resolved design (cascade, mapping, architecture with its
// overrides, shape) run through the analytical model. The row depends only on the point.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "arch/arch.h"
#include "cli/sweep/points.h"
#include "einsum/cascade.h"
#include "mappings/mapping.h"
#include "workloads/model.h"

namespace cli::sweep {

// Loaded inputs, reused across the points one worker evaluates.
struct PointCache {
    std::map<std::string, einsum::Cascade> cascades;
    std::map<std::string, arch::Arch> arches;            // presets by name
    std::map<std::string, arch::Arch> overridden_arches; // preset + overrides, by "name|key=value|..." 
    std::map<std::string, mappings::Mapping> mappings;
    std::map<std::string, workloads::ModelShape> models;
};

std::vector<std::string> row_columns(const SweepSpec& s);
// The cells of a point's row that follow from the sweep alone (point .. the last parameter column,
// before status): what a row already in a CSV must repeat to be this point's row.
std::vector<std::string> point_cells(const SweepSpec& s, const Point& p);
std::vector<std::string> evaluate_point(const SweepSpec& s, const Point& p, PointCache& cache);

} // namespace cli::sweep
