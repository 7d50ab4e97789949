#include "cli/sweep/points.h"

#include <algorithm>

namespace cli::sweep {

std::string Point::key() const {
    std::string k;
    for (const auto& [name, v] : values) k += (k.empty() ? "" : ";") + name + "=" + v.text;
    return k;
}

const Value* Point::find(const std::string& k) const {
    for (const auto& [name, v] : values)
        if (name == k) return &v;
    return nullptr;
}

std::vector<Point> enumerate_points(const SweepSpec& s) {
    std::vector<Point> out;
    std::size_t total = 1;
    for (const auto& a : s.axes) total *= a.size();
    for (std::size_t idx = 0; idx < total; ++idx) {
        Point p;
        p.index = idx;
        std::size_t rest = idx, stride = total;
        for (const auto& a : s.axes) {
            stride /= a.size();
            std::size_t i = rest / stride;
            rest %= stride;
            for (std::size_t k = 0; k < a.keys.size(); ++k) p.values.emplace_back(a.keys[k], a.values[k][i]);
        }
        bool excluded = false;
        for (const auto& ex : s.exclusions) {
            bool all = true;
            for (const auto& [key, vals] : ex.match) {
                const Value* v = p.find(key);
                if (!v) {
                    auto b = s.base.find(key);
                    v = b == s.base.end() ? nullptr : &b->second;
                }
                all = all && v && std::find(vals.begin(), vals.end(), *v) != vals.end();
            }
            excluded = excluded || all;
        }
        if (!excluded) out.push_back(std::move(p));
    }
    return out;
}

} // namespace cli::sweep
