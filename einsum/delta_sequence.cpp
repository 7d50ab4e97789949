#include "einsum/delta_sequence.h"

#include <algorithm>
#include <cmath>

#include "einsum/evaluator.h"
#include "einsum/input_error.h"
#include "einsum/reference_attention.h"

namespace einsum {
namespace {

[[noreturn]] void fail(const std::string& key, const std::string& what) { throw InputError({"sequence", 0, 0, key}, what); }

// Columns [from, to) of the last dimension.
Tensor columns(const Tensor& t, std::int64_t from, std::int64_t to) {
    auto dims = t.dims;
    const std::int64_t n = dims.back(), w = to - from;
    dims.back() = w;
    Tensor out(dims);
    for (std::int64_t r = 0; r < t.size() / n; ++r)
        std::copy_n(t.data.begin() + r * n + from, w, out.data.begin() + r * w);
    return out;
}

void put_columns(Tensor& dst, const Tensor& src, std::int64_t from) {
    const std::int64_t n = dst.dims.back(), w = src.dims.back();
    for (std::int64_t r = 0; r < dst.size() / n; ++r)
        std::copy_n(src.data.begin() + r * w, w, dst.data.begin() + r * n + from);
}

// Repeats key/value heads (dimension 1) so that query head h reads head h / (heads / kv_heads).
Tensor repeat_heads(const Tensor& t, std::int64_t heads) {
    const std::int64_t kv = t.dims[1], group = heads / kv, inner = t.dims[2] * t.dims[3];
    auto dims = t.dims;
    dims[1] = heads;
    Tensor out(dims);
    for (std::int64_t b = 0; b < dims[0]; ++b)
        for (std::int64_t h = 0; h < heads; ++h)
            std::copy_n(t.data.begin() + (b * kv + h / group) * inner, inner, out.data.begin() + (b * heads + h) * inner);
    return out;
}

// The state a decode input X_prev starts from: X of the previous call at its last query slot,
// zero where X_prev has grown (new keys).
Tensor carry(const Tensor& x, const std::vector<std::int64_t>& want, const std::string& name) {
    if (x.dims.size() != want.size() + 1)
        fail(name, "state tensor has " + std::to_string(x.dims.size()) + " dimensions; the decode input needs " +
                       std::to_string(want.size()) + " plus a trailing query dimension");
    Tensor out(want);
    const std::int64_t slot = x.dims.back() - 1;
    std::vector<std::int64_t> at(want.size(), 0);
    for (std::int64_t i = 0; i < out.size(); ++i) {
        bool inside = true;
        for (std::size_t d = 0; d < want.size(); ++d) inside = inside && at[d] < x.dims[d];
        if (inside) {
            auto src = at;
            src.push_back(slot);
            out.data[i] = x.at(src);
        }
        for (std::size_t d = want.size(); d-- > 0;) {
            if (++at[d] < want[d]) break;
            at[d] = 0;
        }
    }
    return out;
}

double rms_rel(const Tensor& out, const Tensor& ref) {
    double num = 0, den = 0;
    for (std::int64_t i = 0; i < ref.size(); ++i) {
        num += (out.data[i] - ref.data[i]) * (out.data[i] - ref.data[i]);
        den += ref.data[i] * ref.data[i];
    }
    return den > 0 ? std::sqrt(num / den) : std::sqrt(num);
}

// Binds the ranks a cascade has from the sequence's extents, plus the parameters.
Shape bind(const Cascade& c, std::int64_t B, std::int64_t H, std::int64_t E, std::int64_t F, std::int64_t M, std::int64_t P,
           const std::map<std::string, double>& params) {
    ShapeBinding b;
    b.source = "sequence";
    auto ranks = c.all_ranks();
    for (auto [rank, v] : {std::pair{"B", B}, {"H", H}, {"E", E}, {"F", F}, {"M", M}, {"P", P}})
        if (std::find(ranks.begin(), ranks.end(), rank) != ranks.end()) b.values[rank] = double(v);
    for (const auto& [k, v] : params) b.values[k] = v;
    return resolve_shape(c, b);
}

// Q/K/V for one call, with K/V heads repeated when the cascade wants one per query head.
TensorMap qkv(const Cascade& c, const Shape& s, const AttentionRoles& roles, const Tensor& q, const Tensor& k, const Tensor& v) {
    TensorMap in{{roles.query, q}, {roles.key, k}, {roles.value, v}};
    for (const auto& name : {roles.key, roles.value}) {
        const auto want = tensor_dims(c, s, name);
        Tensor& t = in[name];
        if (want.size() == 4 && t.dims.size() == 4 && want[1] > t.dims[1] && want[1] % t.dims[1] == 0) t = repeat_heads(t, want[1]);
    }
    return in;
}

} // namespace

SequenceRun run_sequence(const Cascade& prefill, const Cascade* decode, const TokenSequence& seq, const SequenceOptions& o) {
    if (!prefill.attention) fail("cascade", "cascade '" + prefill.name + "' declares no [attention] roles");
    const AttentionRoles roles = *prefill.attention;
    const Tensor &q = seq.q, &k = seq.k, &v = seq.v;
    if (q.dims.size() != 4 || k.dims.size() != 4 || v.dims.size() != 4)
        fail("Q/K/V", "Q, K and V must have 4 dimensions: Q [B,H,E,N], K [B,Hkv,E,N], V [B,Hkv,F,N]");
    const std::int64_t B = q.dims[0], H = q.dims[1], E = q.dims[2], N = q.dims[3], F = v.dims[2], Hkv = k.dims[1];
    if (k.dims[0] != B || v.dims[0] != B || k.dims[2] != E || k.dims[3] != N || v.dims[1] != Hkv || v.dims[3] != N)
        fail("Q/K/V", "extents disagree: Q [B,H,E,N], K [B,Hkv,E,N], V [B,Hkv,F,N] must share B, E, N and Hkv");
    if (Hkv < 1 || H % Hkv != 0) fail("K", "key/value heads (" + std::to_string(Hkv) + ") must divide query heads (" + std::to_string(H) + ")");
    const std::int64_t steps = o.decode_steps, n0 = N - steps;
    if (steps < 0 || n0 < 1) fail("decode_steps", "decode steps must leave at least one prefill token (N = " + std::to_string(N) + ")");
    if (steps > 0 && !decode) fail("decode", "decode steps need a decode cascade");

    SequenceRun run;
    Tensor out_all({B, H, F, N}), ref_all({B, H, F, N});

    // Prefill: every query of the first n0 tokens against their n0 keys.
    Shape s = bind(prefill, B, H, E, F, n0, n0, o.params);
    Tensor q0 = columns(q, 0, n0), k0 = columns(k, 0, n0), v0 = columns(v, 0, n0);
    TensorMap state = evaluate(prefill, s, qkv(prefill, s, roles, q0, k0, v0));
    run.prefill.tokens = n0;
    run.prefill.sparsity = measure_sparsity(prefill, s, state, o.block_elements);
    Tensor ref0 = reference_attention(q0, k0, v0);
    run.prefill.error = compare_tensors(state.at(roles.output), ref0);
    run.prefill.rms_rel_error = rms_rel(state.at(roles.output), ref0);
    put_columns(out_all, state.at(roles.output), 0);
    put_columns(ref_all, ref0, 0);

    // Decode: token t attends to keys 0..t; the state comes from the previous call.
    const Cascade* prev = &prefill;
    for (std::int64_t t = n0; t < N; ++t) {
        Shape ds = bind(*decode, B, H, E, F, t + 1, 1, o.params);
        Tensor qt = columns(q, t, t + 1), kt = columns(k, 0, t + 1), vt = columns(v, 0, t + 1);
        TensorMap in = qkv(*decode, ds, roles, qt, kt, vt);
        for (const auto& decl : decode->inputs) {
            if (in.count(decl.name)) continue;
            const std::string suffix = "_prev";
            if (decl.name.size() <= suffix.size() || decl.name.compare(decl.name.size() - suffix.size(), suffix.size(), suffix) != 0)
                throw InputError(decl.where, "decode input '" + decl.name + "' is neither Q/K/V nor a state tensor named X_prev");
            const std::string from = decl.name.substr(0, decl.name.size() - suffix.size());
            if (!state.count(from))
                throw InputError(decl.where, "state input '" + decl.name + "' needs a tensor '" + from + "' in cascade '" + prev->name + "'");
            in[decl.name] = carry(state.at(from), tensor_dims(*decode, ds, decl.name), decl.name);
        }
        TensorMap next = evaluate(*decode, ds, in);
        run.decode.sparsity += measure_sparsity(*decode, ds, next, o.block_elements);
        Tensor ref = reference_attention(qt, kt, vt);
        put_columns(out_all, next.at(roles.output), t);
        put_columns(ref_all, ref, t);
        state = std::move(next);
        prev = decode;
    }
    run.decode.tokens = steps;
    run.decode.sparsity.block_elements = o.block_elements;
    if (steps > 0) {
        run.decode.error = compare_tensors(columns(out_all, n0, N), columns(ref_all, n0, N));
        run.decode.rms_rel_error = rms_rel(columns(out_all, n0, N), columns(ref_all, n0, N));
    }
    run.overall.tokens = N;
    run.overall.sparsity = run.prefill.sparsity;
    run.overall.sparsity += run.decode.sparsity;
    run.overall.error = compare_tensors(out_all, ref_all);
    run.overall.rms_rel_error = rms_rel(out_all, ref_all);
    return run;
}

} // namespace einsum
