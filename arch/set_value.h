// Changing one figure of an architecture by key path (`array2d.rows`, `memory[1].capacity_bytes`,
// `sm.tensor_flops_per_cycle.fp8`), as sweeps and the command line do. The result is validated
// exactly as a file would be; a bad value or an unknown path raises ArchError naming the key path
// (located at `origin`, e.g. "--set" or the sweep file), and the architecture is left unchanged.
#pragma once
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arch/arch.h"

namespace arch {

// `toml_value` is written in TOML: 128, 2.5, true, "cpu", { exp = 4, max = 1 }.
void set_value(Arch& arch, std::string_view key_path, std::string_view toml_value,
               std::string_view origin = "set_value");
void set_value(Arch& arch, std::string_view key_path, double value, std::string_view origin = "set_value");
// Several (key path, TOML value) changes at once, validated together: for fields that must agree,
// such as array2d.cycles_per_op and energy.array2d_op_pj.
void set_values(Arch& arch, const std::vector<std::pair<std::string, std::string>>& assignments,
                std::string_view origin = "set_value");

namespace detail {
void set_integer(Arch& arch, std::string_view key_path, std::int64_t value, std::string_view origin);
void set_boolean(Arch& arch, std::string_view key_path, bool value, std::string_view origin);
} // namespace detail

// Integers and booleans go through templates so that a string literal never converts to bool.
template <std::integral T>
    requires(!std::same_as<T, bool>)
void set_value(Arch& arch, std::string_view key_path, T value, std::string_view origin = "set_value") {
    detail::set_integer(arch, key_path, static_cast<std::int64_t>(value), origin);
}
template <std::same_as<bool> T>
void set_value(Arch& arch, std::string_view key_path, T value, std::string_view origin = "set_value") {
    detail::set_boolean(arch, key_path, value, origin);
}

} // namespace arch
