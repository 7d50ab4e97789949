// The `--heads H/Hkv` values of the GPU commands (compare decode, gpu-jobs): query heads and the
// key/value heads they share under grouped-query attention; "32" means 32/32.
#pragma once
#include <string>
#include <utility>

namespace cli {

// Throws einsum::InputError (at --heads) unless both are positive and Hkv divides H.
std::pair<long long, long long> parse_heads(const std::string& text);

} // namespace cli
