// A dense tensor of doubles, row-major over its dimensions; the reference evaluator's values.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace einsum {

struct Tensor {
    std::vector<std::int64_t> dims;
    std::vector<double> data;

    Tensor() = default;
    Tensor(std::vector<std::int64_t> d, double fill = 0.0);
    std::int64_t size() const { return static_cast<std::int64_t>(data.size()); }
    std::int64_t offset(const std::vector<std::int64_t>& coords) const;
    double at(const std::vector<std::int64_t>& coords) const { return data[offset(coords)]; }
    double& at(const std::vector<std::int64_t>& coords) { return data[offset(coords)]; }
};

using TensorMap = std::map<std::string, Tensor>;

} // namespace einsum
