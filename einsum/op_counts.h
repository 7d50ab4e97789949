// Operation counts of a cascade under a shape: iteration points per Einsum, map and reduce actions
// by operator, and multiply-accumulates of tensor contractions.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "einsum/cascade.h"
#include "einsum/shape.h"

namespace einsum {

struct EinsumOps {
    std::string name;
    std::int64_t points = 0;                  // valid iteration points
    std::map<std::string, std::int64_t> ops;  // operator name -> count (both branches of an if())
    std::int64_t macs = 0;                    // points of a product-sum contraction, else 0
};

struct CascadeOps {
    std::vector<EinsumOps> einsums;
    std::map<std::string, std::int64_t> totals;
    std::int64_t macs = 0;
    std::int64_t mac_flops() const { return 2 * macs; }
};

// True when an Einsum is a contraction: a product of tensor operands summed over reduced ranks.
bool is_contraction(const Einsum& e);

CascadeOps count_ops(const Cascade& c, const Shape& s);

} // namespace einsum
