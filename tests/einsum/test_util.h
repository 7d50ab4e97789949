// Helpers shared by the einsum tests.
#pragma once
#include <string>

#include <doctest/doctest.h>

#include "einsum/cascade_toml.h"

// Parses `text` expecting an InputError; returns it.
inline einsum::InputError expect_input_error(const std::string& text, const std::string& file = "bad.toml") {
    try {
        einsum::parse_cascade(text, file);
    } catch (const einsum::InputError& e) {
        return e;
    }
    FAIL("expected an InputError for:\n" << text);
    throw; // unreachable
}

// The header every hand-written test cascade starts with: lines 1-9.
inline std::string small_header() {
    return "name = \"t\"\n"                  // 1
           "[ranks]\n"                        // 2
           "E = \"feature\"\n"                // 3
           "M = \"sequence\"\n"               // 4
           "P = \"query\"\n"                  // 5
           "[inputs]\n"                       // 6
           "Q = [\"E\", \"P\"]\n"             // 7
           "K = [\"E\", \"M\"]\n"             // 8
           "V = [\"E\", \"M\"]\n";            // 9
}
