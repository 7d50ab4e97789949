// Runs a delta cascade over one token sequence the way an LLM does: a prefill cascade over the
// first tokens, then a decode cascade one token at a time, carrying the delta state between calls;
// measures sparsity per stage and the output error against exact attention.
//
// State contract (see workloads/attention/deltallm_decode.toml): each decode input named `X_prev`
// is filled from tensor `X` of the previous call (prefill or decode) at its last query slot (X has
// the dimensions of X_prev plus a trailing query dimension of extent P + 1), zero-padded where the
// sequence rank has grown. Q, K, V and the output are the prefill cascade's [attention] tensors;
// the decode cascade reads and writes tensors of the same names.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "einsum/attention_check.h"
#include "einsum/cascade.h"
#include "einsum/sparsity.h"
#include "einsum/tensor.h"

namespace einsum {

// One sequence of N tokens: Q [B,H,E,N], K [B,Hkv,E,N], V [B,Hkv,F,N]. When Hkv < H (grouped-query
// attention) the key/value heads are repeated for cascades that have one K/V head per query head.
struct TokenSequence {
    Tensor q, k, v;
    std::int64_t tokens() const { return q.dims.size() == 4 ? q.dims[3] : 0; }
};

struct SequenceOptions {
    std::map<std::string, double> params; // e.g. theta, W
    std::int64_t decode_steps = 0;         // the last decode_steps tokens are decoded one by one
    std::int64_t block_elements = 1;       // skip-block size for SparsityStats::block_sparsity
};

struct StageResult {
    std::int64_t tokens = 0;
    SparsityStats sparsity;
    AttentionCheck error; // against exact softmax attention over the keys each query sees
    double rms_rel_error = 0; // ||out - exact||_2 / ||exact||_2 over the stage's outputs
};

struct SequenceRun {
    StageResult prefill, decode, overall;
};

// Throws InputError for tensors of the wrong rank or mismatched extents, fewer than one prefill
// token, or a decode cascade that lacks the prefill's Q/K/V/output names or a state tensor X for an
// input X_prev. `decode` may be null when options.decode_steps is 0.
SequenceRun run_sequence(const Cascade& prefill, const Cascade* decode, const TokenSequence& seq, const SequenceOptions& options);

} // namespace einsum
