#include "einsum/tensor.h"

#include <cassert>

namespace einsum {

Tensor::Tensor(std::vector<std::int64_t> d, double fill) : dims(std::move(d)) {
    std::int64_t n = 1;
    for (auto x : dims) n *= x;
    data.assign(static_cast<std::size_t>(n), fill);
}

std::int64_t Tensor::offset(const std::vector<std::int64_t>& coords) const {
    assert(coords.size() == dims.size());
    std::int64_t off = 0;
    for (std::size_t i = 0; i < dims.size(); ++i) {
        assert(coords[i] >= 0 && coords[i] < dims[i]);
        off = off * dims[i] + coords[i];
    }
    return off;
}

} // namespace einsum
