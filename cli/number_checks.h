// Checks for numeric command-line options, in place of CLI11's PositiveNumber and NonNegativeNumber:
// these also refuse nan and inf, and say what they expected in a line (CLI11's range check prints
// the largest double, 309 digits).
#pragma once
#include <cmath>
#include <cstdlib>
#include <string>

#include <CLI/CLI.hpp>

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

// A finite number > 0 (sizes, counts, rates, limits).
inline CLI::Validator positive_number() { return finite_number_at_least(0, false, "a positive number"); }
// A finite number >= 0 (counts where 0 means "the default").
inline CLI::Validator non_negative_number() { return finite_number_at_least(0, true, "a number >= 0"); }

} // namespace cli
