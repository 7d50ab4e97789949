// Checks a parsed cascade and fills in what the rest of einsim relies on: tensor dimensions,
// each Einsum's loop variables, reduced variables and recurrence rank.
#pragma once
#include "einsum/cascade.h"

namespace einsum {

// Throws InputError (with the location of the offending entry) for: unknown ranks, variables,
// parameters or tensors; a rank used with two different shapes; arity mismatches; a cycle; a tensor
// read before it is produced; an iterative Einsum that does not read an earlier iteration.
void validate(Cascade& c);

} // namespace einsum
