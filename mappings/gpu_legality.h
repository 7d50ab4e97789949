// What a GPU mapping asks of an SM — shared memory, registers, threads — how many of its CTAs fit
// on one SM at once, and whether it is legal for a problem on an architecture. An illegal mapping
// is rejected with its reasons, never repaired.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "arch/gpu.h"
#include "mappings/attention_problem.h"
#include "mappings/gpu_mapping.h"

namespace mappings {

struct GpuResources {
    std::int64_t shared_memory_bytes = 0; // per CTA: the Q tile and the K/V buffers
    std::int64_t registers_per_thread = 0;
    std::int64_t threads = 0;
    std::int64_t ctas_per_sm = 0;         // resident CTAs per SM (occupancy); 0 when none fits
    std::string occupancy_limit;          // shared_memory | registers | threads | max_ctas | mapping
};

// K/V buffer sets a CTA needs to keep `stages` K or V blocks in flight while computing on one set.
std::int64_t kv_buffer_sets(std::int64_t stages);

// One row of the receive buffer of a clustered stream-K CTA (GpuMapping::cluster = C): from each of
// the C CTAs, its F / C output columns of the row and the row's max and sum, padded to 16 bytes.
inline std::int64_t cluster_receive_row_bytes(std::int64_t F, std::int64_t cluster) { return (F + 4 * cluster) * 4; }

GpuResources gpu_resources(const GpuMapping& m, const AttentionProblem& p, const arch::GpuArch& g);

// Key tiles of one row block's context: ceil(M / tile_kv).
std::int64_t kv_tiles(const GpuMapping& m, const AttentionProblem& p);

// Empty when legal; otherwise one sentence per violated rule.
std::vector<std::string> gpu_violations(const GpuMapping& m, const AttentionProblem& p, const arch::GpuArch& g);
// Throws einsum::InputError (key path "mapping") listing every violation.
void check_gpu_legal(const GpuMapping& m, const AttentionProblem& p, const arch::GpuArch& g);

} // namespace mappings
