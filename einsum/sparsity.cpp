#include "einsum/sparsity.h"

#include <algorithm>
#include <set>

#include "einsum/input_error.h"
#include "einsum/iteration_space.h"
#include "einsum/op_counts.h"

namespace einsum {
namespace {

// True when `x` only adds, subtracts, negates or selects between thresholded values; `touches`
// records whether a threshold (or a thresholded tensor) was met at all.
bool is_thresholded(const Expr& x, const std::string& self, const std::set<std::string>& known, bool& touches) {
    switch (x.kind) {
    case Expr::Kind::constant:
    case Expr::Kind::param: return false;
    case Expr::Kind::access: {
        // A carried state input X_prev (see delta_sequence.h) is an earlier value of X.
        std::string t = x.access.tensor;
        if (t.size() > 5 && t.compare(t.size() - 5, 5, "_prev") == 0) t.resize(t.size() - 5);
        if (known.count(t)) touches = true;
        return t == self || known.count(t) > 0;
    }
    case Expr::Kind::op: break;
    }
    if (x.op == MapOp::threshold) {
        touches = true;
        return true;
    }
    if (x.op != MapOp::add && x.op != MapOp::sub && x.op != MapOp::neg && x.op != MapOp::select) return false;
    return std::all_of(x.args.begin(), x.args.end(), [&](const Expr& a) { return is_thresholded(a, self, known, touches); });
}

bool has_op(const Expr& x, MapOp op) {
    if (x.kind == Expr::Kind::op && x.op == op) return true;
    return std::any_of(x.args.begin(), x.args.end(), [&](const Expr& a) { return has_op(a, op); });
}

bool reads_itself(const Einsum& e) {
    std::vector<const Access*> reads;
    e.expr.collect_accesses(reads);
    return std::any_of(reads.begin(), reads.end(), [&](const Access* a) { return a->tensor == e.name; });
}

// Operands of a contraction `A[..] * B[..]`.
std::vector<const Access*> operands(const Einsum& e) {
    std::vector<const Access*> out;
    for (const auto& a : e.expr.args)
        if (a.kind == Expr::Kind::access) out.push_back(&a.access);
    return out;
}

// The dimension along which blocks run: the first feature-role rank, else the last dimension.
std::size_t block_dim(const Cascade& c, const std::string& tensor) {
    const auto& ranks = c.tensors.at(tensor).ranks;
    for (std::size_t d = 0; d < ranks.size(); ++d)
        if (const RankDecl* r = c.find_rank(ranks[d]); r && r->role == RankRole::feature) return d;
    return ranks.empty() ? 0 : ranks.size() - 1;
}

DeltaTensorStats count_delta(const Cascade& c, const std::string& name, const Tensor& t, std::int64_t block) {
    DeltaTensorStats st;
    st.name = name;
    st.elements = t.size();
    for (double v : t.data) st.zeros += v == 0.0;
    if (t.dims.empty()) return st;
    const std::size_t d = block_dim(c, name);
    std::int64_t inner = 1; // stride of dimension d
    for (std::size_t k = d + 1; k < t.dims.size(); ++k) inner *= t.dims[k];
    const std::int64_t extent = t.dims[d], outer = t.size() / std::max<std::int64_t>(1, extent * inner);
    for (std::int64_t o = 0; o < outer; ++o)
        for (std::int64_t i = 0; i < inner; ++i)
            for (std::int64_t start = 0; start < extent; start += block) {
                bool all_zero = true;
                for (std::int64_t k = start; k < std::min(extent, start + block) && all_zero; ++k)
                    all_zero = t.data[(o * extent + k) * inner + i] == 0.0;
                ++st.blocks;
                st.zero_blocks += all_zero;
            }
    return st;
}

} // namespace

std::int64_t SparsityStats::delta_elements() const {
    std::int64_t n = 0;
    for (const auto& d : deltas) n += d.elements;
    return n;
}

std::int64_t SparsityStats::delta_zeros() const {
    std::int64_t n = 0;
    for (const auto& d : deltas) n += d.zeros;
    return n;
}

double SparsityStats::sparsity() const {
    const auto n = delta_elements();
    return n > 0 ? double(delta_zeros()) / double(n) : 0.0;
}

double SparsityStats::block_sparsity() const {
    std::int64_t blocks = 0, zero = 0;
    for (const auto& d : deltas) {
        blocks += d.blocks;
        zero += d.zero_blocks;
    }
    return blocks > 0 ? double(zero) / double(blocks) : 0.0;
}

double SparsityStats::mac_skip_fraction() const { return macs > 0 ? double(skipped_macs) / double(macs) : 0.0; }

SparsityStats& SparsityStats::operator+=(const SparsityStats& other) {
    macs += other.macs;
    skipped_macs += other.skipped_macs;
    for (const auto& o : other.deltas) {
        auto it = std::find_if(deltas.begin(), deltas.end(), [&](const DeltaTensorStats& d) { return d.name == o.name; });
        if (it == deltas.end()) {
            deltas.push_back(o);
            continue;
        }
        it->elements += o.elements;
        it->zeros += o.zeros;
        it->blocks += o.blocks;
        it->zero_blocks += o.zero_blocks;
    }
    return *this;
}

std::vector<std::string> delta_tensors(const Cascade& c) {
    // A recurrence that accumulates thresholded changes is a state (QR); a tensor that is a
    // threshold or a difference of states and deltas, without reading itself, is a delta (DQ).
    std::set<std::string> thresholded, deltas;
    for (const auto& e : c.einsums) {
        bool touches = false;
        if (!is_thresholded(e.expr, e.name, thresholded, touches) || !touches) continue;
        thresholded.insert(e.name);
        if (!reads_itself(e) && (has_op(e.expr, MapOp::threshold) || has_op(e.expr, MapOp::sub))) deltas.insert(e.name);
    }
    std::vector<std::string> out;
    for (const auto& e : c.einsums) {
        if (!is_contraction(e)) continue;
        for (const Access* a : operands(e))
            if (deltas.count(a->tensor) && std::find(out.begin(), out.end(), a->tensor) == out.end()) out.push_back(a->tensor);
    }
    return out;
}

SparsityStats measure_sparsity(const Cascade& c, const Shape& s, const TensorMap& tensors, std::int64_t block_elements) {
    if (block_elements < 1)
        throw InputError({"", 0, 0, "block_elements"}, "a skip block must hold at least one element, got " + std::to_string(block_elements));
    SparsityStats st;
    st.block_elements = block_elements;
    for (const auto& name : delta_tensors(c)) st.deltas.push_back(count_delta(c, name, tensors.at(name), block_elements));
    for (const auto& e : c.einsums) {
        if (!is_contraction(e)) continue;
        IterationSpace space(c, e, s);
        struct Operand {
            const Tensor* t;
            std::vector<AffineForm> index;
        };
        std::vector<Operand> ops;
        for (const Access* a : operands(e)) {
            Operand o{&tensors.at(a->tensor), {}};
            for (const auto& ix : a->index) o.index.push_back(space.compile(ix));
            ops.push_back(std::move(o));
        }
        space.for_each([&](const std::vector<std::int64_t>& env) {
            ++st.macs;
            for (const auto& o : ops) {
                std::int64_t off = 0;
                for (std::size_t d = 0; d < o.index.size(); ++d) off = off * o.t->dims[d] + o.index[d](env);
                if (o.t->data[off] == 0.0) {
                    ++st.skipped_macs;
                    return;
                }
            }
        });
    }
    return st;
}

} // namespace einsum
