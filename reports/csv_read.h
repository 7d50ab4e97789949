// The rows of a CSV file as plain strings, for tools that append to and resume CSV files (sweeps,
// merges). Parsing is located_csv.h's; this adds the detection of a row cut short by a kill.
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
// truncated_last_line (an interrupted append). Throws CsvError (located_csv.h), "FILE:LINE:COL: ...".
CsvFile parse_csv(const std::string& text, const std::string& path);
CsvFile read_csv(const std::string& path);

} // namespace reports
