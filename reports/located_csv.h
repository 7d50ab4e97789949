// A CSV file (RFC 4180) read whole, keeping where every cell came from, so that a value found bad
// long after parsing can still be reported as file:line:column.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace reports {

struct CsvCell {
    std::string text;  // unquoted, quotes undoubled
    int line = 0;      // 1-based line where the cell starts
    int column = 0;    // 1-based column (in characters) of its first character or opening quote
};

struct LocatedCsv {
    std::string path;
    std::vector<CsvCell> header;
    std::vector<std::vector<CsvCell>> rows; // each row has header.size() cells
    int line_count = 0;                     // lines in the file (for messages about its end)

    int column_index(std::string_view name) const; // -1 when absent
};

// An error in a user's CSV (or in a value read from it), located as "file:line:column: what".
class CsvError : public std::runtime_error {
public:
    CsvError(const std::string& file, int line, int column, const std::string& what);
    // The parts of the message, for a caller that reports the error in its own words.
    const std::string& file() const { return file_; }
    int line() const { return line_; }
    int column() const { return column_; }
    const std::string& reason() const { return reason_; }

private:
    std::string file_;
    int line_ = 0, column_ = 0;
    std::string reason_;
};

// "file:line:column" (column and line are left out when 0).
std::string csv_location(const std::string& file, int line, int column = 0);

// Parses CSV text: a header row, then rows with as many fields as the header. Fields may be quoted
// ("a, b", "say ""hi""", line breaks inside quotes); LF or CRLF line ends; a UTF-8 byte-order mark
// and empty lines are skipped; the last line needs no line end. Throws CsvError on an unterminated
// quote, a quote inside an unquoted field, text after a closing quote, a row of the wrong width, an
// empty, duplicate or missing header name, an empty file, or bytes that are not UTF-8.
LocatedCsv parse_located_csv(std::string_view text, const std::string& path);
// Reads and parses a file; CsvError when it cannot be read.
LocatedCsv read_located_csv(const std::string& path);

// A cell's text as a whole number ("1e6", " 2.5 ", "nan", "inf"; spaces and tabs around it and a
// leading '+' allowed): false when the text is empty or not all of it is the number.
bool parse_number(std::string_view text, double& out);
// A cell's text as a whole positive integer (spaces and tabs around it allowed).
bool parse_positive_integer(std::string_view text, std::int64_t& out);

} // namespace reports
