#include "einsum/validate.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "einsum/coordinates.h"
#include "einsum/dag.h"

namespace einsum {
namespace {

std::string number_text(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
}

// Ranks below `rank` through tile/count partitions (M → M1, M0, …), including itself.
std::set<std::string> descendants(const Cascade& c, const std::string& rank) {
    std::set<std::string> out{rank};
    bool changed = true;
    while (changed) {
        changed = false;
        for (const auto& p : c.partitions)
            if (out.count(p.parent) && (!out.count(p.outer) || !out.count(p.inner))) {
                out.insert(p.outer);
                out.insert(p.inner);
                changed = true;
            }
    }
    return out;
}

struct Checker {
    Cascade& c;
    std::vector<std::string> ranks;

    bool is_rank(const std::string& n) const { return std::find(ranks.begin(), ranks.end(), n) != ranks.end(); }

    void check_partitions() {
        std::set<std::string> known;
        for (const auto& r : c.ranks) known.insert(r.name);
        for (std::size_t i = 0; i < c.partitions.size(); ++i) {
            const auto& p = c.partitions[i];
            if (p.composes()) {
                for (const auto* part : {&p.outer, &p.inner})
                    if (!known.count(*part))
                        throw InputError(p.where, "unknown rank '" + *part + "': a composed rank must be built from declared or partitioned ranks");
            } else if (!known.count(p.parent)) {
                throw InputError(p.where, "unknown rank '" + p.parent + "' (declare it under [ranks] or partition it from a declared rank first)");
            }
            for (const auto* n : {&p.parent, &p.outer, &p.inner}) known.insert(*n);
            if (p.outer == p.inner || p.outer == p.parent || p.inner == p.parent)
                throw InputError(p.where, "a partition needs three distinct ranks");
        }
        for (const auto& r : ranks) {
            for (const auto& other : ranks)
                if (r != other && var_of_rank(r) == var_of_rank(other))
                    throw InputError({c.file, 0, 0, "ranks"}, "ranks '" + r + "' and '" + other + "' differ only in case; their variables would clash");
            if (c.find_param(r)) throw InputError(c.find_param(r)->where, "parameter '" + r + "' has the name of a rank");
        }
    }

    void check_inputs() {
        for (const auto& in : c.inputs) {
            if (c.tensors.count(in.name)) throw InputError(in.where, "tensor '" + in.name + "' declared twice");
            TensorInfo t;
            for (const auto& r : in.ranks) {
                if (!is_rank(r)) throw InputError(in.where, "unknown rank '" + r + "' in input '" + in.name + "'");
                t.ranks.push_back(r);
                t.extra.push_back(0);
            }
            c.tensors[in.name] = t;
        }
    }

    SourceLocation at_column(const SourceLocation& base, int column) const {
        SourceLocation w = base;
        w.column += 1 + column;
        return w;
    }

    void check_index_names(const IndexExpr& ix, const SourceLocation& where, const std::string& what) {
        for (const auto& v : ix.vars())
            if (rank_of_var(c, v).empty())
                throw InputError(where, "unknown rank variable '" + v + "' in " + what + " (no rank named " + v + " in any case)");
        for (const auto& f : ix.factors()) {
            if (is_rank(f)) continue;
            if (!c.find_param(f)) throw InputError(where, "unknown rank or parameter '" + f + "' in " + what);
            for (auto& p : c.params)
                if (p.name == f) {
                    p.in_index = true;
                    if (std::string why = index_param_problem(p.value); !why.empty())
                        throw InputError(p.where, "parameter '" + f + "' = " + number_text(p.value) + ": " + why);
                }
        }
    }

    void check_predicate(const Predicate& p, const SourceLocation& where, const std::string& what) {
        if (p.kind == Predicate::Kind::compare) {
            check_index_names(p.lhs, where, what);
            check_index_names(p.rhs, where, what);
        }
        for (const auto& ch : p.children) check_predicate(ch, where, what);
    }

    // A dimension of rank R may be indexed by a variable of R itself, or by an expression over
    // variables of R's partitions (m1*M0+m0 for M), or by a constant.
    void check_dim(const std::string& tensor, std::size_t dim, const IndexExpr& ix, const SourceLocation& where) {
        const std::string& rank = c.tensors[tensor].ranks[dim];
        if (ix.is_constant()) return;
        if (ix.is_var_plus_const()) {
            std::string vr = rank_of_var(c, ix.terms[0].var);
            if (vr != rank)
                throw InputError(where, "rank used with two different shapes: dimension " + std::to_string(dim) + " of '" + tensor +
                                            "' has rank " + rank + " but is indexed by '" + ix.str() + "' (rank " + vr + ")");
            return;
        }
        auto family = descendants(c, rank);
        for (const auto& v : ix.vars())
            if (!family.count(rank_of_var(c, v)))
                throw InputError(where, "rank used with two different shapes: dimension " + std::to_string(dim) + " of '" + tensor +
                                            "' has rank " + rank + " but '" + ix.str() + "' uses '" + v + "', which is not a partition of " + rank);
    }

    void check_einsum(std::size_t i) {
        Einsum& e = c.einsums[i];
        std::string key = "einsum[" + std::to_string(i) + "]";
        SourceLocation out_at = e.output_where;
        out_at.key_path = key + ".out";
        SourceLocation expr_at = e.expr_where;
        expr_at.key_path = key + ".expr";

        for (const auto& in : c.inputs)
            if (in.name == e.name) throw InputError(out_at, "'" + e.name + "' is an input and cannot be written by an Einsum");
        for (std::size_t j = 0; j < i; ++j)
            if (c.einsums[j].name == e.name) throw InputError(out_at, "tensor '" + e.name + "' is written by two Einsums");

        // Output dimensions: one rank variable per dimension, optionally shifted by a constant (m1+1).
        TensorInfo info;
        info.producer = static_cast<int>(i);
        for (const auto& ix : e.output.index) {
            check_index_names(ix, out_at, "the output");
            bool shifted_var = ix.terms.size() == 1 && !ix.terms[0].var.empty() && ix.terms[0].factor.empty() &&
                               ix.terms[0].coeff == 1 && ix.constant >= 0;
            if (!shifted_var)
                throw InputError(out_at, "output coordinate '" + ix.str() + "' must be a rank variable, optionally plus a non-negative constant");
            info.ranks.push_back(rank_of_var(c, ix.terms[0].var));
            info.extra.push_back(ix.constant);
        }
        for (std::size_t a = 0; a < info.ranks.size(); ++a)
            for (std::size_t b = a + 1; b < info.ranks.size(); ++b)
                if (info.ranks[a] == info.ranks[b])
                    throw InputError(out_at, "output '" + e.name + "' uses rank " + info.ranks[a] + " twice");
        c.tensors[e.name] = info;

        std::vector<std::string> params;
        e.expr.collect_params(params);
        for (const auto& p : params)
            if (!c.find_param(p)) throw InputError(expr_at, "unknown parameter '" + p + "' (declare it under [params])");

        std::vector<const Access*> reads;
        e.expr.collect_accesses(reads);
        std::vector<std::string> mentioned;
        auto mention = [&](const std::vector<std::string>& vs) {
            for (const auto& v : vs)
                if (std::find(mentioned.begin(), mentioned.end(), v) == mentioned.end()) mentioned.push_back(v);
        };
        for (const auto& ix : e.output.index) mention(ix.vars());
        for (const Access* a : reads) {
            SourceLocation w = at_column(expr_at, a->column);
            bool known = c.tensors.count(a->tensor) > 0;
            bool later = false;
            for (std::size_t j = i + 1; j < c.einsums.size(); ++j) later = later || c.einsums[j].name == a->tensor;
            if (!known && !later)
                throw InputError(w, "unknown tensor '" + a->tensor + "' (neither an input nor written by an Einsum)");
            for (const auto& ix : a->index) {
                check_index_names(ix, w, "'" + a->str() + "'");
                mention(ix.vars());
            }
        }
        if (e.filter) {
            SourceLocation w = e.filter_where;
            w.key_path = key + ".where";
            check_predicate(*e.filter, w, "the where clause");
            mention(e.filter->vars());
        }
        collect_select_vars(e.expr, mentioned, expr_at);

        // Recurrence: a read of the Einsum's own output must be an earlier iteration of one rank.
        for (const Access* a : reads) {
            if (a->tensor != e.name) continue;
            SourceLocation w = at_column(expr_at, a->column);
            if (a->index.size() != e.output.index.size())
                throw InputError(w, "'" + e.name + "' has " + std::to_string(e.output.index.size()) + " dimensions, read with " +
                                        std::to_string(a->index.size()));
            std::string rec;
            for (std::size_t d = 0; d < a->index.size(); ++d) {
                const IndexExpr& wr = e.output.index[d];
                const IndexExpr& rd = a->index[d];
                if (rd == wr) continue;
                bool ok = rd.is_var_plus_const() && rd.terms[0].var == wr.terms[0].var && rd.constant < wr.constant;
                if (!ok || !rec.empty())
                    throw InputError(w, "an Einsum that reads its own output must read an earlier iteration of one rank (e.g. RM[m1] for RM[m1+1]); got '" +
                                            a->str() + "' for '" + e.output.str() + "'");
                rec = wr.terms[0].var;
            }
            if (rec.empty())
                throw InputError(w, "'" + e.name + "' reads the element it writes; an iterative Einsum must read an earlier iteration");
            if (!e.recurrence_var.empty() && e.recurrence_var != rec)
                throw InputError(w, "an Einsum may recur over one rank only");
            e.recurrence_var = rec;
        }
        if (!e.recurrence_var.empty() && !e.init)
            throw InputError(out_at, "iterative Einsum '" + e.name + "' needs an initial value: add init = ... (e.g. \"-inf\" or 0)");

        e.loop_vars = choose_loop_vars(c, mentioned, e.recurrence_var);
        e.reduced_vars.clear();
        for (const auto& v : e.loop_vars) {
            bool in_output = false;
            for (const auto& ix : e.output.index) in_output = in_output || ix.terms[0].var == v;
            if (!in_output) e.reduced_vars.push_back(v);
        }
    }

    void collect_select_vars(const Expr& x, std::vector<std::string>& mentioned, const SourceLocation& where) {
        if (x.kind == Expr::Kind::op && x.op == MapOp::select) {
            check_predicate(x.condition, where, "an if() condition");
            for (const auto& v : x.condition.vars())
                if (std::find(mentioned.begin(), mentioned.end(), v) == mentioned.end()) mentioned.push_back(v);
        }
        for (const auto& a : x.args) collect_select_vars(a, mentioned, where);
    }

    void check_reads(std::size_t i) {
        const Einsum& e = c.einsums[i];
        SourceLocation expr_at = e.expr_where;
        expr_at.key_path = "einsum[" + std::to_string(i) + "].expr";
        std::vector<const Access*> reads;
        e.expr.collect_accesses(reads);
        for (const Access* a : reads) {
            SourceLocation w = at_column(expr_at, a->column);
            const TensorInfo& t = c.tensors.at(a->tensor);
            if (a->index.size() != t.ranks.size())
                throw InputError(w, "'" + a->tensor + "' has " + std::to_string(t.ranks.size()) + " dimensions (" +
                                        join(t.ranks) + "), read with " + std::to_string(a->index.size()));
            for (std::size_t d = 0; d < a->index.size(); ++d) check_dim(a->tensor, d, a->index[d], w);
        }
    }

    static std::string join(const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
        return s;
    }
};

} // namespace

void validate(Cascade& c) {
    Checker k{c, c.all_ranks()};
    c.tensors.clear();
    k.check_partitions();
    k.check_inputs();
    for (std::size_t i = 0; i < c.einsums.size(); ++i) k.check_einsum(i);

    CascadeGraph g = build_graph(c);
    std::vector<int> cycle = find_cycle(g);
    if (!cycle.empty()) {
        std::string path;
        for (int v : cycle) path += (path.empty() ? "" : " -> ") + c.einsums[v].name;
        const Einsum& first = c.einsums[cycle.front()];
        SourceLocation w = first.where;
        w.key_path = "einsum[" + std::to_string(cycle.front()) + "]";
        throw InputError(w, "the cascade has a cycle: " + path);
    }
    for (std::size_t i = 0; i < c.einsums.size(); ++i) {
        std::vector<const Access*> reads;
        c.einsums[i].expr.collect_accesses(reads);
        for (const Access* a : reads) {
            const TensorInfo& t = c.tensors.at(a->tensor);
            if (t.producer > static_cast<int>(i)) {
                SourceLocation w = c.einsums[i].expr_where;
                w.key_path = "einsum[" + std::to_string(i) + "].expr";
                w.column += 1 + a->column;
                throw InputError(w, "tensor '" + a->tensor + "' is read before it is produced (it is written by einsum[" +
                                        std::to_string(t.producer) + "])");
            }
        }
        k.check_reads(i);
    }
    if (!c.tensors.count(c.output) || c.tensors.at(c.output).producer < 0)
        throw InputError(c.output_where.file.empty() ? SourceLocation{c.file, 0, 0, "output"} : c.output_where,
                         "output '" + c.output + "' is not written by any Einsum");
    if (c.attention) {
        const auto& r = *c.attention;
        const std::pair<const std::string*, std::size_t> roles[] = {{&r.query, 4}, {&r.key, 4}, {&r.value, 4}, {&r.output, 4}};
        for (auto [n, dims] : roles)
            if (!c.tensors.count(*n) || c.tensors.at(*n).ranks.size() != dims)
                throw InputError(c.attention_where.file.empty() ? SourceLocation{c.file, 0, 0, "attention"} : c.attention_where,
                                 "attention role tensor '" + *n + "' must exist with 4 dimensions ([B,H,E,P] etc.)");
    }
}

} // namespace einsum
