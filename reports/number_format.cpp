#include "reports/number_format.h"

#include <cmath>
#include <cstdio>

#include "reports/svg_plot.h"

namespace reports {

std::string format_value(double v) {
    if (!std::isfinite(v)) return std::isnan(v) ? "\u2013" : svg::si(v);
    if (std::abs(v) >= 1e4) {
        static const char* suffix[] = {"", "k", "M", "G", "T", "P", "E"};
        int k = 0;
        double a = v;
        while (std::abs(a) >= 999.95 && k < 6) {
            a /= 1000;
            ++k;
        }
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g%s", a, suffix[k]);
        return buf;
    }
    return format_significant(v, 4);
}

std::string format_significant(double v, int digits) {
    if (!std::isfinite(v)) return "\u2013";
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
}

std::string format_ratio(double v) {
    if (!std::isfinite(v)) return "\u2013";
    char buf[32];
    std::snprintf(buf, sizeof buf, v < 1 ? "%.3f\u00d7" : "%.2f\u00d7", v);
    return buf;
}

std::string format_percent(double fraction) {
    if (!std::isfinite(fraction)) return "\u2013";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", fraction * 100);
    return buf;
}

} // namespace reports
