// The analytical model compiled for one cascade, architecture and binding of Einsums to units: the
// work and energy per point of every Einsum and the array's figures, so that a loop nest's numbers
// (mappings/nest_eval.h) give cycles and energy by arithmetic alone. simulate_analytical and the
// mapper's cost run the same run_model: one model.
#pragma once
#include <string>
#include <vector>

#include "arch/spatial.h"
#include "einsum/cascade.h"
#include "mappings/mapping.h"
#include "mappings/nest_eval.h"
#include "mappings/search.h"
#include "sim/analytical/model.h"
#include "sim/result.h"

namespace sim {

struct ModelPlan {
    struct Einsum {
        std::string name;
        mappings::Unit unit = mappings::Unit::array2d;
        std::int64_t rows = 1, cols = 1; // PEs (lanes) of its unit across rows and columns
        PointWork work;
        std::vector<double> op_pj;       // per work.ops: energy of one operation on its unit
    };
    struct Group {
        std::string name;
        bool double_buffer = true;
    };
    std::vector<Einsum> einsums;
    std::vector<Group> groups;
    double dram_bytes_per_cycle = 0, dram_latency_cycles = 0, buffer_bytes_per_cycle = 0, clock_mhz = 0, static_pj_per_cycle = 0;
    arch::SpatialEnergy energy;
};

// `units[i]`: the unit of the cascade's Einsum i.
ModelPlan compile_model(const einsum::Cascade& c, const mappings::Mapping& m, const std::vector<mappings::Unit>& units,
                        const arch::SpatialArch& a);

// Per-group sums, reused across calls so that run_model does not allocate.
struct ModelScratch {
    std::vector<double> cycles_2d, cycles_1d;
    // A unit's time beyond its steps' compute: steps bound by their global-buffer accesses, and
    // waiting on the tiles its Einsum streams itself.
    std::vector<double> unit_wait_2d, unit_wait_1d;
    // Per group, of the tensors its DRAM loops move (not streamed by an Einsum): the longest
    // transfers + latencies of one tensor, and the first fills' and last write-backs' bytes.
    std::vector<double> longest_stream_cycles, first_fill_bytes, last_write_bytes;
    std::vector<std::int64_t> most_fills; // transfers of its most often filled tensor
    std::vector<std::int64_t> dram_bytes, buffer_bytes;
};

// Cycles and energy of one loop nest with each group's overlap; when `out` is given, also every
// figure of the Result but its names (engine, cascade, arch, mapping, shape).
mappings::Cost run_model(const ModelPlan& p, const mappings::NestNumbers& n, const mappings::Overlap* overlap, ModelScratch& scratch,
                         Result* out);

} // namespace sim
