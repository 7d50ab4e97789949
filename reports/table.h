// A rectangular table of strings rendered as aligned text, CSV or JSON rows: the one way every
// command prints tabular results.
#pragma once
#include <string>
#include <vector>

namespace reports {

struct Table {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;

    void add(std::vector<std::string> row);
    std::string text() const;  // aligned columns, numbers right-aligned
    std::string csv() const;   // RFC 4180 quoting
};

// Quotes a CSV field when it holds a comma, quote or newline.
std::string csv_field(const std::string& s);
// Shortest round-trippable text for a double ("1e+30", "0.25", "nan").
std::string number(double v);
// v with `digits` digits after the point ("%.*f"), for tables and messages.
std::string fixed(double v, int digits);
// Thousands-separated integer (1,234,567) for human-readable tables.
std::string grouped(long long v);

} // namespace reports
