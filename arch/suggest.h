// "Did you mean ...?" for misspelt keys, operator names and preset names.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arch {

// The candidate closest to `word` by edit distance, when it is close enough to be a likely typo.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c"
std::string join(const std::vector<std::string>& words);

} // namespace arch
