// How an Einsum's coordinates are obtained: which rank variables it loops over, and which it
// derives from them through partitions (m = m1*M0 + m0, or m1 = t / M1-extent ...).
#pragma once
#include <set>
#include <string>
#include <vector>

#include "einsum/cascade.h"

namespace einsum {

struct DeriveStep {
    enum class Kind { compose, decompose } kind = Kind::compose;
    int partition = 0; // index into Cascade::partitions
};

struct CoordPlan {
    std::vector<std::string> iterated;   // loop variables
    std::vector<DeriveStep> steps;       // derivations, in order
    std::set<std::string> available;     // iterated ∪ derived variables
};

// The derivation closure of a set of loop variables.
// With `compose` false only decompositions are used (parts from wholes).
CoordPlan plan_coordinates(const Cascade& c, const std::vector<std::string>& iterated, bool compose = true);

// Loop variables for an Einsum that mentions `mentioned`: every mentioned variable that cannot be
// derived from the others. `recurrence_var` (if any) is kept and put first.
std::vector<std::string> choose_loop_vars(const Cascade& c, const std::vector<std::string>& mentioned,
                                          const std::string& recurrence_var);

} // namespace einsum
