#include "cli/sparsity_inputs.h"

#include <cmath>
#include <sstream>

#include "einsum/attention_check.h"
#include "einsum/input_error.h"
#include "einsum/npy.h"
#include "einsum/shape.h"

namespace cli {
namespace {

[[noreturn]] void bad(const std::string& key, const std::string& what) { throw einsum::InputError({key, 0, 0, ""}, what); }

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, sep)) out.push_back(item);
    return out;
}

std::string dims_text(const einsum::Tensor& q, const einsum::Tensor& v) {
    return "B=" + std::to_string(q.dims[0]) + ",H=" + std::to_string(q.dims[1]) + ",E=" + std::to_string(q.dims[2]) +
           ",F=" + std::to_string(v.dims[2]) + ",N=" + std::to_string(q.dims[3]);
}

SequenceInput synthetic(const std::string& args, const std::string& shape, const einsum::Cascade& c) {
    einsum::InputSpec spec;
    spec.rho = 0.9;
    double scale = 1.0;
    for (const auto& kv : split(args, ',')) {
        auto eq = kv.find('=');
        if (kv.empty()) continue;
        if (eq == std::string::npos) bad("--input", "expected key=value in 'synth:" + args + "', got '" + kv + "'");
        const std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
        try {
            std::size_t used = 0;
            if (key == "rho") {
                spec.rho = std::stod(value, &used);
                if (!(spec.rho > -1 && spec.rho < 1)) bad("--input", "rho must lie in (-1, 1), got " + value);
            } else if (key == "seed") {
                spec.seed = std::stoull(value, &used);
            } else if (key == "scale") {
                scale = std::stod(value, &used);
                if (!(scale > 0) || !std::isfinite(scale)) bad("--input", "scale must be a positive number, got " + value);
            } else {
                bad("--input", "unknown synth option '" + key + "' (expected rho, seed, scale)");
            }
            if (used != value.size()) bad("--input", "'" + value + "' is not a number (synth option " + key + ")");
        } catch (const std::logic_error&) {
            bad("--input", "'" + value + "' is not a number (synth option " + key + ")");
        }
    }
    einsum::ShapeBinding b = einsum::parse_shape_binding(shape.empty() ? "E=64,F=64,M=256" : shape);
    for (auto [rank, v] : {std::pair{"E", 64.0}, {"F", 64.0}, {"M", 256.0}})
        if (!b.values.count(rank)) b.values[rank] = v;
    if (b.values.count("P") && b.values["P"] != b.values["M"])
        bad("--shape", "a sequence has M = P tokens; give M only");
    b.values["P"] = b.values["M"];
    einsum::Shape s = einsum::resolve_shape(c, b);
    einsum::TensorMap t = einsum::random_attention_inputs(c, s, spec);
    const auto& r = *c.attention;
    // The softmax scale folded into K (softmax(Q·K/√E) = softmax(Q·(K/√E))): the scores get a
    // model's spread while Q, which θ thresholds, keeps its values.
    for (double& x : t.at(r.key).data) x *= scale;
    std::ostringstream d;
    d << "synth rho=" << spec.rho << " seed=" << spec.seed;
    if (scale != 1.0) d << " scale=" << scale;
    SequenceInput in{{t.at(r.query), t.at(r.key), t.at(r.value)}, d.str(), ""};
    in.shape = dims_text(in.seq.q, in.seq.v);
    return in;
}

SequenceInput from_files(const std::string& args, const std::string& shape) {
    if (!shape.empty()) bad("--shape", "npy inputs take their extents from the files; drop --shape");
    auto paths = split(args, ',');
    if (paths.size() != 3) bad("--input", "expected npy:Q.npy,K.npy,V.npy (three files), got '" + args + "'");
    SequenceInput in{{einsum::read_npy(paths[0]), einsum::read_npy(paths[1]), einsum::read_npy(paths[2])}, "npy " + args, ""};
    const char* names[] = {"Q [B,H,E,N]", "K [B,Hkv,E,N]", "V [B,Hkv,F,N]"};
    const einsum::Tensor* ts[] = {&in.seq.q, &in.seq.k, &in.seq.v};
    for (int i = 0; i < 3; ++i)
        if (ts[i]->dims.size() != 4)
            throw einsum::InputError({paths[i], 0, 0, "header.shape"}, std::string("expected 4 dimensions for ") + names[i] + ", got " +
                                                                           std::to_string(ts[i]->dims.size()));
    in.shape = dims_text(in.seq.q, in.seq.v);
    return in;
}

} // namespace

SequenceInput load_sequence(const std::string& spec, const std::string& shape, const einsum::Cascade& cascade) {
    if (!cascade.attention) bad("--cascade", "cascade '" + cascade.name + "' declares no [attention] roles");
    auto colon = spec.find(':');
    const std::string kind = spec.substr(0, colon), args = colon == std::string::npos ? "" : spec.substr(colon + 1);
    if (kind == "synth") return synthetic(args, shape, cascade);
    if (kind == "npy") return from_files(args, shape);
    bad("--input", "unknown input '" + spec + "' (expected synth:rho=R[,seed=S] or npy:Q.npy,K.npy,V.npy)");
}

} // namespace cli
