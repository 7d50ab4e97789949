// Number formats that a unit's throughput is quoted for (GPU tensor cores differ by format).
#pragma once
#include <array>
#include <optional>
#include <string_view>

namespace arch {

enum class DType { fp64, fp32, tf32, fp16, bf16, fp8, int8 };

// Indexed by the enum's value.
inline constexpr std::array<std::string_view, 7> dtype_names = {
    "fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8"};

std::string_view name(DType dtype);
std::optional<DType> parse_dtype(std::string_view text);

} // namespace arch
