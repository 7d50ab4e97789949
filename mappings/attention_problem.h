// The attention problem a GPU kernel sees: batch, query heads, key/value heads, head dimensions,
// context and query lengths, and the element size, read from a cascade's ranks under a shape.
#pragma once
#include <cstdint>
#include <string>

#include "einsum/cascade.h"
#include "einsum/shape.h"

namespace mappings {

struct AttentionProblem {
    std::int64_t B = 1, H = 1, Hkv = 1; // batch, query heads, key/value heads (GQA when Hkv < H)
    std::int64_t E = 128, F = 128;      // query/key and value head dimensions
    std::int64_t M = 1;                 // keys (the context, in decode)
    std::int64_t P = 1;                 // query positions (1 in decode)
    std::int64_t element_bytes = 2;

    std::int64_t group() const { return H / Hkv; } // query heads per key/value head
    // Compulsory HBM traffic: Q and K, V read once, the output written once.
    std::int64_t q_bytes() const { return B * H * P * E * element_bytes; }
    std::int64_t kv_bytes() const { return B * Hkv * M * (E + F) * element_bytes; }
    std::int64_t o_bytes() const { return B * H * P * F * element_bytes; }
    std::int64_t compulsory_bytes() const { return q_bytes() + kv_bytes() + o_bytes(); }
    // The two contractions (Q·K and S·V) without padding: 2·B·H·P·M·(E+F).
    double useful_flops() const { return 2.0 * double(B * H * P) * double(M) * double(E + F); }
    std::string str() const; // "B=1,H=32,Hkv=8,E=128,F=128,M=65536,P=1"
    bool operator==(const AttentionProblem&) const = default;
};

// Reads B, H, E, F, M, P (batch and head ranks default to 1) and Hkv (the HKV rank of cascades
// that partition H into HKV x HG; H otherwise). Throws InputError when the cascade has no
// [attention] roles or lacks one of H, E, F, M, P, or when Hkv does not divide H.
AttentionProblem attention_problem(const einsum::Cascade& c, const einsum::Shape& s);
// The first check of attention_problem(), for callers that want it before resolving a shape.
void require_attention_ranks(const einsum::Cascade& c);

} // namespace mappings
