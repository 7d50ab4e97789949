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

inline CLI::Validator finite_number_at_least(double low, bool inclusive, const std::string& what) {
    return CLI::Validator(
        [low, inclusive, what](std::string& text) -> std::string {
            const char* s = text.c_str();
            char* end = nullptr;
            const double v = std::strtod(s, &end);
            const bool parsed = !text.empty() && end == s + text.size();
            if (!parsed || !std::isfinite(v) || v < low || (!inclusive && v == low)) return "expected " + what + ", got '" + text + "'";
            return "";
        },
        what);
}

// A finite number in [low, high].
inline CLI::Validator number_in(double low, double high) {
    const std::string what = "a number from " + CLI::detail::to_string(low) + " to " + CLI::detail::to_string(high);
    return CLI::Validator(
        [low, high, what](std::string& text) -> std::string {
            const char* s = text.c_str();
            char* end = nullptr;
            const double v = std::strtod(s, &end);
            if (text.empty() || end != s + text.size() || !std::isfinite(v) || v < low || v > high) return "expected " + what + ", got '" + text + "'";
            return "";
        },
        what);
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
inline CLI::Validator positive_number() { return finite_number_at_least(0, false, "a positive number"); }
// A finite number >= 0 (counts where 0 means "the default").
inline CLI::Validator non_negative_number() { return finite_number_at_least(0, true, "a number >= 0"); }

} // namespace cli
