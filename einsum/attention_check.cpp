#include "einsum/attention_check.h"

#include <cmath>
#include <random>

#include "einsum/evaluator.h"
#include "einsum/reference_attention.h"

namespace einsum {

TensorMap random_attention_inputs(const Cascade& c, const Shape& s, const InputSpec& spec) {
    check_evaluator_size(c, s);
    std::mt19937_64 rng(spec.seed);
    std::uniform_real_distribution<double> uni(-1.0, 1.0);
    TensorMap inputs;
    for (const auto& in : c.inputs) {
        Tensor t(tensor_dims(c, s, in.name));
        for (auto& x : t.data) x = uni(rng);
        inputs[in.name] = std::move(t);
    }
    if (spec.rho != 0.0 && c.attention && inputs.count(c.attention->query)) {
        // Q[b,h,e,p]: along p, x_p = rho * x_{p-1} + sqrt(1 - rho^2) * noise (stationary AR(1)).
        Tensor& q = inputs[c.attention->query];
        const auto P = q.dims[3];
        const double keep = spec.rho, fresh = std::sqrt(std::max(0.0, 1.0 - spec.rho * spec.rho));
        for (std::int64_t row = 0; row < q.size() / P; ++row)
            for (std::int64_t p = 1; p < P; ++p)
                q.data[row * P + p] = keep * q.data[row * P + p - 1] + fresh * q.data[row * P + p];
    }
    return inputs;
}

AttentionCheck compare_tensors(const Tensor& out, const Tensor& ref) {
    AttentionCheck r;
    r.elements = ref.size();
    double scale = 0;
    for (double x : ref.data) scale = std::max(scale, std::fabs(x));
    for (std::int64_t i = 0; i < ref.size(); ++i) {
        double d = std::fabs(out.data[i] - ref.data[i]);
        if (std::isnan(d)) d = std::numeric_limits<double>::infinity();
        r.max_abs_error = std::max(r.max_abs_error, d);
    }
    r.max_rel_error = scale > 0 ? r.max_abs_error / scale : r.max_abs_error;
    return r;
}

AttentionCheck check_attention(const Cascade& c, const Shape& s, const InputSpec& spec) {
    if (!c.attention)
        throw InputError({c.file, 0, 0, "attention"}, "cascade '" + c.name + "' declares no [attention] roles to compare against");
    TensorMap inputs = random_attention_inputs(c, s, spec);
    TensorMap all = evaluate(c, s, inputs);
    const auto& roles = *c.attention;
    Tensor ref = reference_attention(all.at(roles.query), all.at(roles.key), all.at(roles.value));
    const Tensor& out = all.at(roles.output);
    if (out.dims != ref.dims)
        throw InputError({c.file, 0, 0, "attention.output"}, "output '" + roles.output + "' does not have the dimensions [B,H,F,P]");
    return compare_tensors(out, ref);
}

} // namespace einsum
