// A cascade: an attention algorithm as an ordered list of extended Einsums over named ranks,
// generic in its shapes (extents are bound separately, see shape.h).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "einsum/expr.h"
#include "einsum/input_error.h"

namespace einsum {

// What a rank stands for; batch and head ranks default to extent 1 when unbound, and the pass
// analysis counts passes over sequence ranks.
enum class RankRole { batch, head, sequence, query, feature, other };
const char* name(RankRole role);

struct RankDecl {
    std::string name;
    RankRole role = RankRole::other;
    std::optional<std::int64_t> default_extent;
    SourceLocation where;
};

// parent = outer × inner: coordinate p = o * extent(inner) + i. Exactly one of `tile` (default
// extent of inner) and `count` (default extent of outer) may be given; with neither, the parent is
// composed from its parts (its extent is their product).
struct Partition {
    std::string parent, outer, inner;
    std::optional<std::int64_t> tile, count;
    bool uneven = false; // the last outer slice may be short
    SourceLocation where;
    bool composes() const { return !tile && !count; }
};

struct InputDecl {
    std::string name;
    std::vector<std::string> ranks;
    SourceLocation where;
};

struct Param {
    std::string name;
    double value = 0;
    SourceLocation where;
    bool in_index = false; // used in an index expression or a predicate: its value must be an integer
};

// Why `value` cannot stand for a parameter used in index expressions, or empty when it can.
std::string index_param_problem(double value);

struct Einsum {
    std::string name; // the output tensor's name
    Access output;     // output tensor with its populate coordinates, e.g. RM[b,h,m1+1,p]
    Expr expr;         // map actions over the inputs
    ReduceOp reduce = ReduceOp::sum;
    std::optional<double> init;      // initial value of every output element (default: reduce identity)
    std::optional<Predicate> filter; // only points satisfying it are computed
    SourceLocation where, output_where, expr_where, filter_where;

    // Filled by validate(): iteration variables, in loop order (an iterative rank first).
    std::vector<std::string> loop_vars;
    std::vector<std::string> reduced_vars; // iterated but not in the output
    std::string recurrence_var;            // set when the Einsum reads its own output (online ranks)
};

// Which tensors play Q, K, V and the output; lets tools compare the cascade with plain attention.
// Q is [B,H,E,P], K is [B,Hkv,E,M], V is [B,Hkv,F,M] and the output [B,H,F,P], by position.
struct AttentionRoles {
    std::string query, key, value, output;
};

struct TensorInfo {
    std::vector<std::string> ranks;           // rank of each dimension
    std::vector<std::int64_t> extra;          // extent = extent(rank) + extra (e.g. M1+1)
    int producer = -1;                        // index of the producing Einsum, -1 for inputs
};

struct Cascade {
    std::string name, description, file;
    std::string element_type = "fp16";
    std::vector<RankDecl> ranks;
    std::vector<Partition> partitions;
    std::vector<InputDecl> inputs;
    std::vector<Param> params;
    std::vector<Einsum> einsums;
    std::string output;
    std::optional<AttentionRoles> attention;
    // Where `output` and [attention] were given, for messages; only the file when not in it.
    SourceLocation output_where, attention_where;

    // Filled by validate().
    std::map<std::string, TensorInfo> tensors;

    const RankDecl* find_rank(const std::string& name) const;
    const Param* find_param(const std::string& name) const;
    const Einsum* find_einsum(const std::string& name) const;
    // All rank names: declared ones and those introduced by partitions.
    std::vector<std::string> all_ranks() const;
};

// The rank that variable `var` iterates (m1 → M1), matched case-insensitively; empty if none.
std::string rank_of_var(const Cascade& c, const std::string& var);
std::string var_of_rank(const std::string& rank);

} // namespace einsum
