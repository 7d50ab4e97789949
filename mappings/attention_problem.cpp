#include "mappings/attention_problem.h"

#include <algorithm>

namespace mappings {

namespace {

bool has_rank(const einsum::Cascade& c, const std::string& rank) {
    auto all = c.all_ranks();
    return std::find(all.begin(), all.end(), rank) != all.end();
}

std::int64_t element_bytes_of(const std::string& type) {
    if (type == "fp32" || type == "tf32") return 4;
    if (type == "fp8" || type == "int8") return 1;
    if (type == "fp64") return 8;
    return 2; // fp16, bf16
}

} // namespace

std::string AttentionProblem::str() const {
    return "B=" + std::to_string(B) + ",H=" + std::to_string(H) + ",Hkv=" + std::to_string(Hkv) + ",E=" + std::to_string(E) +
           ",F=" + std::to_string(F) + ",M=" + std::to_string(M) + ",P=" + std::to_string(P);
}

void require_attention_ranks(const einsum::Cascade& c) {
    if (!c.attention)
        throw einsum::InputError({c.file, 0, 0, "attention"},
                                 "cascade " + c.name + " declares no [attention] roles; the GPU model simulates attention cascades");
    for (const char* rank : {"H", "E", "F", "M", "P"})
        if (!has_rank(c, rank))
            throw einsum::InputError({c.file, 0, 0, "ranks"}, "cascade " + c.name + " has no rank " + rank +
                                                                  "; the GPU model needs B, H, E, F, M, P (and HKV under GQA)");
}

AttentionProblem attention_problem(const einsum::Cascade& c, const einsum::Shape& s) {
    require_attention_ranks(c);
    AttentionProblem p;
    p.B = has_rank(c, "B") ? s.extent("B") : 1;
    p.H = s.extent("H");
    p.E = s.extent("E");
    p.F = s.extent("F");
    p.M = s.extent("M");
    p.P = s.extent("P");
    p.Hkv = has_rank(c, "HKV") ? s.extent("HKV") : p.H;
    p.element_bytes = element_bytes_of(c.element_type);
    if (p.Hkv <= 0 || p.H % p.Hkv != 0)
        throw einsum::InputError({"--shape", 0, 0, "HKV"}, "HKV=" + std::to_string(p.Hkv) + " must divide H=" + std::to_string(p.H));
    return p;
}

} // namespace mappings
