// Concrete extents for a generic cascade: the user's bindings (`M=37,P=5`), defaults for batch
// and head ranks and partition tiles, and partition arithmetic (M1 = ceil(M / M0)).
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "einsum/cascade.h"

namespace einsum {

// Largest extent a binding may give one rank (2^31): products of a few extents stay in 64 bits.
constexpr std::int64_t max_extent = std::int64_t{1} << 31;

struct ShapeBinding {
    std::map<std::string, double> values; // rank extents and parameter values by name
    std::string source = "--shape";       // where the binding came from, for error messages
};

// Parses "M=37,P=5,theta=0.1"; throws InputError on malformed text.
ShapeBinding parse_shape_binding(const std::string& text, const std::string& source = "--shape");

struct Shape {
    std::map<std::string, std::int64_t> extents;
    std::map<std::string, double> params;

    std::int64_t extent(const std::string& rank) const;
    double param(const std::string& name) const;
    // Value of an upper-case factor in an index expression: a rank extent or an integer parameter.
    std::int64_t factor(const std::string& name) const;
    std::string str() const; // "B=1,E=8,..."
};

// Resolves every rank's extent; throws InputError (located at the partition or binding at fault)
// for unbound ranks, unknown names, non-positive extents and partitions that do not divide.
Shape resolve_shape(const Cascade& c, const ShapeBinding& binding);

std::int64_t tensor_extent(const Cascade& c, const Shape& s, const std::string& tensor, std::size_t dim);
std::int64_t tensor_elements(const Cascade& c, const Shape& s, const std::string& tensor);

} // namespace einsum
