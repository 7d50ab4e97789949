#include "cli/heads_option.h"

#include <exception>

#include "einsum/input_error.h"

namespace cli {

std::pair<long long, long long> parse_heads(const std::string& text) {
    auto slash = text.find('/');
    try {
        long long h = std::stoll(text.substr(0, slash));
        long long hkv = slash == std::string::npos ? h : std::stoll(text.substr(slash + 1));
        if (h > 0 && hkv > 0 && h % hkv == 0) return {h, hkv};
    } catch (const std::exception&) {
    }
    throw einsum::InputError({"--heads", 0, 0, text}, "expected H/Hkv with Hkv dividing H (e.g. 64/8), got '" + text + "'");
}

} // namespace cli
