// Sparsity that a cascade's data exposes to zero-skipping hardware, counted on evaluated tensors:
// how many entries of its delta tensors are zero, and how many multiply-adds of its contractions
// have a zero operand and could be skipped.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "einsum/tensor.h"

namespace einsum {

// One delta tensor: an operand of a contraction whose value is a thresholded change (see
// delta_tensors). Blocks are runs of `block_elements` consecutive entries along the tensor's
// first feature-role dimension (E for DQ[b,h,e,p]); a block is zero when all its entries are.
struct DeltaTensorStats {
    std::string name;
    std::int64_t elements = 0;
    std::int64_t zeros = 0;
    std::int64_t blocks = 0;
    std::int64_t zero_blocks = 0;
    bool operator==(const DeltaTensorStats&) const = default;
};

struct SparsityStats {
    std::vector<DeltaTensorStats> deltas;
    std::int64_t macs = 0;         // multiply-adds of every contraction, as the cascade is written
    std::int64_t skipped_macs = 0; // those with an operand exactly zero
    std::int64_t block_elements = 1;

    std::int64_t delta_elements() const;
    std::int64_t delta_zeros() const;
    // Fraction of delta entries that are zero (0 when the cascade has no delta tensor).
    double sparsity() const;
    // Fraction of delta blocks that are entirely zero: what block-granular skipping can use.
    double block_sparsity() const;
    double mac_skip_fraction() const;
    // Adds another run's counts (a decode step to a prefill); tensors are matched by name.
    SparsityStats& operator+=(const SparsityStats& other);
};

// The cascade's delta tensors: contraction operands produced, without reading themselves, by a
// threshold or a difference of thresholded values. A recurrence that accumulates thresholded
// changes (deltallm's reference state QR) is a state, not a delta. In deltallm.toml the delta
// tensor is DQ; dense cascades have none.
std::vector<std::string> delta_tensors(const Cascade& c);

// Counts on `tensors`, the result of evaluate(c, s, ...). Throws InputError when block_elements < 1.
SparsityStats measure_sparsity(const Cascade& c, const Shape& s, const TensorMap& tensors, std::int64_t block_elements = 1);

} // namespace einsum
