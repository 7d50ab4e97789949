#include "arch/op.h"

namespace arch {

std::string_view name(Op op) { return op_names[static_cast<std::size_t>(op)]; }

std::optional<Op> parse_op(std::string_view text) {
    for (std::size_t i = 0; i < op_names.size(); ++i)
        if (op_names[i] == text) return static_cast<Op>(i);
    return std::nullopt;
}

} // namespace arch
