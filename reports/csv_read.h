// Reading CSV files written by einsim (RFC 4180: fields quoted when they hold a comma, a quote or a
// newline; quotes doubled). Errors name the file, line and column.
#pragma once
#include <string>
#include <vector>

namespace reports {

struct CsvFile {
    std::string path;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<int> row_lines;       // 1-based line where each row starts
    bool truncated_last_line = false; // the file ended inside a row without its newline
    int column(const std::string& name) const; // -1 when absent
};

// Parses `text`; a last row without its final newline is dropped and reported through
// truncated_last_line (an interrupted append). Throws std::runtime_error "FILE:LINE:COL: ...".
CsvFile parse_csv(const std::string& text, const std::string& path);
CsvFile read_csv(const std::string& path);
// Parses one CSV record (no newline inside); throws std::runtime_error on a malformed quote.
std::vector<std::string> split_csv_line(const std::string& line);

} // namespace reports
