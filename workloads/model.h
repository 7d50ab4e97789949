// Transformer model shapes (BERT, TrXL, T5, XLM, Llama, BitNet…) and how they bind a cascade's ranks.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "einsum/cascade.h"
#include "einsum/shape.h"

namespace workloads {

struct ModelShape {
    std::string id;   // file stem, e.g. bert-base
    std::string name; // display name, e.g. BERT-Base
    std::string source;
    std::int64_t layers = 0, d_model = 0, heads = 0, kv_heads = 0, head_dim = 0, ffn_dim = 0;
    bool operator==(const ModelShape&) const = default;
};

std::vector<std::string> model_names();
// A built-in name (bert-base) or a path; throws einsum::InputError with file, line, column, key.
ModelShape load_model(const std::string& name_or_path);

// Extents of the ranks the cascade has: B, H, HKV (when it partitions H), E, F, D, FF, M, P.
einsum::ShapeBinding bind_model(const ModelShape& m, const einsum::Cascade& c, std::int64_t seq_len_m,
                                std::int64_t queries_p, std::int64_t batch);

} // namespace workloads
