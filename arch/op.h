// Elementwise operators a hardware unit can execute besides its multiply-accumulates. The names are
// the ones einsum/ gives its map actions, so a mapping can match an Einsum's operator to a unit by name.
#pragma once
#include <array>
#include <optional>
#include <string_view>

namespace arch {

enum class Op { add, sub, mul, div, max, min, neg, exp, threshold, select };

// Indexed by the enum's value.
inline constexpr std::array<std::string_view, 10> op_names = {
    "add", "sub", "mul", "div", "max", "min", "neg", "exp", "threshold", "select"};

std::string_view name(Op op);
std::optional<Op> parse_op(std::string_view text);

} // namespace arch
