#include "cli/heads_option.h"

#include <charconv>
#include <string_view>

#include "einsum/input_error.h"

namespace cli {

std::pair<long long, long long> parse_heads(const std::string& text) {
    // H or H/Hkv, each a whole positive number and nothing else (no "32/8/2", "32x", " 32").
    auto whole = [](std::string_view s, long long& v) {
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        return !s.empty() && ec == std::errc() && end == s.data() + s.size() && v > 0;
    };
    const auto slash = text.find('/');
    long long h = 0, hkv = 0;
    const std::string_view all(text);
    const bool ok = slash == std::string::npos ? whole(all, h) && (hkv = h, true)
                                               : whole(all.substr(0, slash), h) && whole(all.substr(slash + 1), hkv);
    if (ok && h % hkv == 0) return {h, hkv};
    throw einsum::InputError({"--heads", 0, 0, text}, "expected H/Hkv with Hkv dividing H (e.g. 64/8), got '" + text + "'");
}

} // namespace cli
