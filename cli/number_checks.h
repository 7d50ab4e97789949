// Checks for numeric command-line options, in place of CLI11's PositiveNumber and NonNegativeNumber:
// these also refuse nan and inf, and say what they expected in a line (CLI11's range check prints
// the largest double, 309 digits).
#pragma once
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include <CLI/CLI.hpp>

#include "einsum/shape.h"

namespace cli {

// A validator of finite numbers for which `fits(v)` holds, saying "expected <what>" otherwise.
template <class Fits>
CLI::Validator finite_number(const std::string& what, Fits fits) {
    return CLI::Validator(
        [what, fits](std::string& text) -> std::string {
            const char* s = text.c_str();
            char* end = nullptr;
            const double v = std::strtod(s, &end);
            if (text.empty() || end != s + text.size() || !std::isfinite(v) || !fits(v)) return "expected " + what + ", got '" + text + "'";
            return "";
        },
        what);
}

// A finite number in [low, high].
inline CLI::Validator number_in(double low, double high) {
    return finite_number("a number from " + CLI::detail::to_string(low) + " to " + CLI::detail::to_string(high),
                         [low, high](double v) { return v >= low && v <= high; });
}

// A whole number in [low, high] (written in decimal, no sign wrap: -1 is not 2^64 - 1).
inline CLI::Validator integer_in(long long low, long long high) {
    const std::string what = "a whole number from " + std::to_string(low) + " to " + std::to_string(high);
    return CLI::Validator(
        [low, high, what](std::string& text) -> std::string {
            long long v = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < low || v > high) return "expected " + what + ", got '" + text + "'";
            return "";
        },
        what);
}

// The largest rank extent a shape takes (einsum's shape binding), for extents given as options.
using einsum::max_extent;

// A finite number > 0 (sizes, counts, rates, limits).
inline CLI::Validator positive_number() { return finite_number("a positive number", [](double v) { return v > 0; }); }
// A finite number >= 0 (counts where 0 means "the default").
inline CLI::Validator non_negative_number() { return finite_number("a number >= 0", [](double v) { return v >= 0; }); }

} // namespace cli
