#include "arch/dtype.h"

namespace arch {

std::string_view name(DType dtype) { return dtype_names[static_cast<std::size_t>(dtype)]; }

std::optional<DType> parse_dtype(std::string_view text) {
    for (std::size_t i = 0; i < dtype_names.size(); ++i)
        if (dtype_names[i] == text) return static_cast<DType>(i);
    return std::nullopt;
}

} // namespace arch
