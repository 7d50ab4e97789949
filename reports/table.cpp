#include "reports/table.h"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace reports {

void Table::add(std::vector<std::string> row) {
    row.resize(columns.size());
    rows.push_back(std::move(row));
}

static bool numeric(const std::string& s) {
    if (s.empty()) return false;
    for (char ch : s)
        if (!(std::isdigit(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == '+' || ch == 'e' || ch == ',' || ch == '%' || ch == 'x'))
            return false;
    return std::any_of(s.begin(), s.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
}

std::string Table::text() const {
    std::vector<std::size_t> width(columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
        width[c] = columns[c].size();
        for (const auto& r : rows) width[c] = std::max(width[c], r[c].size());
    }
    std::ostringstream os;
    auto line = [&](const std::vector<std::string>& cells, bool header) {
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string& s = cells[c];
            std::string pad(width[c] - s.size(), ' ');
            if (c) os << "  ";
            if (!header && numeric(s)) os << pad << s;
            else os << s << (c + 1 < cells.size() ? pad : "");
        }
        os << "\n";
    };
    line(columns, true);
    std::vector<std::string> rule;
    for (auto w : width) rule.push_back(std::string(w, '-'));
    line(rule, true);
    for (const auto& r : rows) line(r, false);
    return os.str();
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) {
        if (ch == '"') q += '"';
        q += ch;
    }
    return q + "\"";
}

std::string Table::csv() const {
    std::ostringstream os;
    for (std::size_t c = 0; c < columns.size(); ++c) os << (c ? "," : "") << csv_field(columns[c]);
    os << "\n";
    for (const auto& r : rows) {
        for (std::size_t c = 0; c < r.size(); ++c) os << (c ? "," : "") << csv_field(r[c]);
        os << "\n";
    }
    return os.str();
}

std::string number(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    for (int prec = 6; prec <= 17; ++prec) {
        std::snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::string grouped(long long v) {
    std::string digits = std::to_string(v < 0 ? -v : v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return v < 0 ? "-" + out : out;
}

} // namespace reports
