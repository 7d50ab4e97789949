#include "einsum/evaluator.h"

#include <cmath>

#include "einsum/iteration_space.h"

namespace einsum {
namespace {

struct CompiledAccess {
    const Tensor* tensor = nullptr;
    std::vector<AffineForm> index;
    const Access* source = nullptr;
};

struct Node {
    Expr::Kind kind = Expr::Kind::constant;
    MapOp op = MapOp::add;
    double value = 0;
    int access = -1;
    CompiledPredicate condition;
    std::vector<Node> args;
};

class EinsumRunner {
public:
    EinsumRunner(const Cascade& c, std::size_t index, const Shape& s, TensorMap& tensors)
        : c_(c), e_(c.einsums[index]), index_(index), s_(s), space_(c, e_, s), tensors_(tensors) {}

    void run() {
        Tensor& out = tensors_[e_.name];
        out = Tensor(tensor_dims(c_, s_, e_.name), e_.init ? *e_.init : identity(e_.reduce));
        root_ = compile(e_.expr);
        for (const auto& ix : e_.output.index) out_index_.push_back(space_.compile(ix));
        out_ = &out;
        const bool reduces = !e_.reduced_vars.empty();
        space_.for_each([&](const std::vector<std::int64_t>& env) {
            double v = eval(root_, env);
            std::int64_t off = offset(*out_, out_index_, env, e_.output);
            double& slot = out_->data[off];
            if (!reduces) slot = v;
            else if (e_.reduce == ReduceOp::sum) slot += v;
            else if (e_.reduce == ReduceOp::max) slot = std::max(slot, v);
            else slot = std::min(slot, v);
        });
    }

private:
    Node compile(const Expr& x) {
        Node n;
        n.kind = x.kind;
        n.op = x.op;
        n.value = x.value;
        if (x.kind == Expr::Kind::param) {
            n.kind = Expr::Kind::constant;
            n.value = s_.param(x.param);
        } else if (x.kind == Expr::Kind::access) {
            CompiledAccess a;
            a.source = &x.access;
            // The Einsum's own output is read through the tensor being written (recurrences).
            a.tensor = &tensors_.at(x.access.tensor);
            for (const auto& ix : x.access.index) a.index.push_back(space_.compile(ix));
            n.access = static_cast<int>(accesses_.size());
            accesses_.push_back(std::move(a));
        }
        if (x.kind == Expr::Kind::op && x.op == MapOp::select) n.condition = space_.compile(x.condition);
        for (const auto& arg : x.args) n.args.push_back(compile(arg));
        return n;
    }

    std::int64_t offset(const Tensor& t, const std::vector<AffineForm>& index, const std::vector<std::int64_t>& env,
                        const Access& source) const {
        std::int64_t off = 0;
        for (std::size_t d = 0; d < index.size(); ++d) {
            std::int64_t i = index[d](env);
            if (i < 0 || i >= t.dims[d]) out_of_bounds(source, d, i, t.dims[d], env);
            off = off * t.dims[d] + i;
        }
        return off;
    }

    [[noreturn]] void out_of_bounds(const Access& a, std::size_t d, std::int64_t i, std::int64_t extent,
                                    const std::vector<std::int64_t>& env) const {
        std::string at;
        const auto& names = space_.slot_names();
        for (std::size_t k = 0; k < names.size(); ++k) at += (at.empty() ? "" : ",") + names[k] + "=" + std::to_string(env[k]);
        SourceLocation w = e_.where;
        w.key_path = "einsum[" + std::to_string(index_) + "]";
        throw InputError(w, "'" + e_.name + "' accesses " + a.str() + " out of bounds: coordinate " + std::to_string(d) + " is " +
                                std::to_string(i) + ", extent " + std::to_string(extent) + " (at " + at + "; shape " + s_.str() + ")");
    }

    double eval(const Node& n, const std::vector<std::int64_t>& env) const {
        switch (n.kind) {
        case Expr::Kind::constant:
        case Expr::Kind::param: return n.value;
        case Expr::Kind::access: {
            const CompiledAccess& a = accesses_[n.access];
            return a.tensor->data[offset(*a.tensor, a.index, env, *a.source)];
        }
        case Expr::Kind::op: break;
        }
        if (n.op == MapOp::select) return n.condition(env) ? eval(n.args[0], env) : eval(n.args[1], env);
        double a = eval(n.args[0], env);
        switch (n.op) {
        case MapOp::neg: return -a;
        case MapOp::exp: return std::exp(a);
        default: break;
        }
        double b = eval(n.args[1], env);
        switch (n.op) {
        case MapOp::add: return a + b;
        case MapOp::sub: return a - b;
        case MapOp::mul: return a * b;
        case MapOp::div: return a / b;
        case MapOp::max: return std::max(a, b);
        case MapOp::min: return std::min(a, b);
        case MapOp::threshold: return std::fabs(a) > b ? a : 0.0;
        default: return 0.0;
        }
    }

    const Cascade& c_;
    const Einsum& e_;
    std::size_t index_;
    const Shape& s_;
    IterationSpace space_;
    TensorMap& tensors_;
    std::vector<CompiledAccess> accesses_;
    Node root_;
    std::vector<AffineForm> out_index_;
    Tensor* out_ = nullptr;
};

} // namespace

std::vector<std::int64_t> tensor_dims(const Cascade& c, const Shape& s, const std::string& tensor) {
    std::vector<std::int64_t> dims;
    for (std::size_t d = 0; d < c.tensors.at(tensor).ranks.size(); ++d) dims.push_back(tensor_extent(c, s, tensor, d));
    return dims;
}

void check_evaluator_size(const Cascade& c, const Shape& s) {
    // Counted so that no product or sum can wrap: a count past the 64-bit range stops the count.
    std::int64_t total = 0;
    bool wrapped = false;
    for (const auto& [name, info] : c.tensors) {
        std::int64_t n = 1;
        for (std::size_t d = 0; d < info.ranks.size() && !wrapped; ++d)
            wrapped = __builtin_mul_overflow(n, tensor_extent(c, s, name, d), &n);
        wrapped = wrapped || __builtin_add_overflow(total, n, &total);
        if (wrapped) break;
    }
    if (wrapped || total > max_evaluator_elements)
        throw InputError({c.file, 0, 0, ""}, "the reference evaluator is for small shapes: shape " + s.str() + " needs " +
                                                 (wrapped ? std::string("more than 2^63") : std::to_string(total)) +
                                                 " tensor elements (at most " + std::to_string(max_evaluator_elements) + ")");
}

TensorMap evaluate(const Cascade& c, const Shape& s, const TensorMap& inputs) {
    check_evaluator_size(c, s);
    TensorMap tensors;
    for (const auto& in : c.inputs) {
        auto it = inputs.find(in.name);
        if (it == inputs.end()) throw InputError(in.where, "no value given for input '" + in.name + "'");
        if (it->second.dims != tensor_dims(c, s, in.name) ||
            static_cast<std::int64_t>(it->second.data.size()) != tensor_elements(c, s, in.name))
            throw InputError(in.where, "input '" + in.name + "' has the wrong dimensions for shape " + s.str());
        tensors[in.name] = it->second;
    }
    // Reserve every output first so that references into the map stay valid while Einsums run.
    for (const auto& e : c.einsums) tensors[e.name];
    for (std::size_t i = 0; i < c.einsums.size(); ++i) EinsumRunner(c, i, s, tensors).run();
    return tensors;
}

} // namespace einsum
