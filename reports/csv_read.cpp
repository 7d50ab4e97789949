#include "reports/csv_read.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "reports/located_csv.h"

namespace reports {

int CsvFile::column(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<int>(i);
    return -1;
}

CsvFile parse_csv(const std::string& text, const std::string& path) {
    CsvFile f;
    f.path = path;
    // A file that does not end with a newline was cut during an append: drop the partial row.
    std::string_view whole = text;
    if (!whole.empty() && whole.back() != '\n') {
        std::size_t last = whole.rfind('\n');
        if (last == std::string_view::npos) throw CsvError(path, 1, 1, "header without a line end");
        whole = whole.substr(0, last + 1);
        f.truncated_last_line = true;
    }
    LocatedCsv csv = parse_located_csv(whole, path);
    for (const auto& h : csv.header) f.header.push_back(h.text);
    for (const auto& row : csv.rows) {
        std::vector<std::string> r;
        for (const auto& c : row) r.push_back(c.text);
        f.rows.push_back(std::move(r));
        f.row_lines.push_back(row.empty() ? 0 : row.front().line);
    }
    return f;
}

CsvFile read_csv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CsvError(path, 0, 0, "cannot open CSV file");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_csv(ss.str(), path);
}

} // namespace reports
