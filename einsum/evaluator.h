// The reference evaluator: runs any valid cascade on concrete tensors in double precision, point by
// point, including partitioned and iterative ranks. Small shapes only; it is the ground truth.
#pragma once
#include "einsum/cascade.h"
#include "einsum/shape.h"
#include "einsum/tensor.h"

namespace einsum {

// Returns every tensor of the cascade (inputs included) after evaluation. Throws InputError when an
// input is missing or has the wrong dimensions, or when an Einsum reads outside a tensor.
// The evaluator refuses shapes whose tensors hold more than `max_elements` values in all.
TensorMap evaluate(const Cascade& c, const Shape& s, const TensorMap& inputs);
constexpr std::int64_t max_evaluator_elements = std::int64_t{1} << 27;
// Throws the InputError that evaluate() throws for a shape past max_evaluator_elements; callers that
// build inputs for evaluate() call it first, so that a huge shape fails before allocating.
void check_evaluator_size(const Cascade& c, const Shape& s);

// The dimensions a tensor has under a shape.
std::vector<std::int64_t> tensor_dims(const Cascade& c, const Shape& s, const std::string& tensor);

} // namespace einsum
