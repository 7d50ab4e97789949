#include "reports/located_csv.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace reports {

int LocatedCsv::column_index(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i].text == name) return static_cast<int>(i);
    return -1;
}

std::string csv_location(const std::string& file, int line, int column) {
    std::string s = file;
    if (line > 0) s += ":" + std::to_string(line);
    if (line > 0 && column > 0) s += ":" + std::to_string(column);
    return s;
}

CsvError::CsvError(const std::string& file, int line, int column, const std::string& what)
    : std::runtime_error(csv_location(file, line, column) + ": " + what), file_(file), line_(line), column_(column), reason_(what) {}

namespace {

// Walks the text one byte at a time, keeping the line and the column in characters (UTF-8
// continuation bytes do not advance the column).
class Cursor {
public:
    explicit Cursor(std::string_view text) : text_(text) {
        if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    }
    bool done() const { return pos_ >= text_.size(); }
    char peek(std::size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
    bool at_line_end() const { return peek() == '\n' || (peek() == '\r' && peek(1) == '\n') || (peek() == '\r'); }
    void next() {
        char c = text_[pos_++];
        if (c == '\n' || (c == '\r' && peek() != '\n')) {
            ++line_;
            column_ = 1;
        } else if (c != '\r' && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++column_;
        }
    }
    void skip_line_end() {
        if (peek() == '\r') next();
        if (peek() == '\n') next();
    }
    int line() const { return line_; }
    int column() const { return column_; }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    int line_ = 1, column_ = 1;
};

CsvCell read_cell(Cursor& in, const std::string& path) {
    CsvCell cell{"", in.line(), in.column()};
    if (in.peek() == '"') {
        in.next();
        for (;;) {
            if (in.done()) throw CsvError(path, cell.line, cell.column, "quoted field is never closed (missing '\"')");
            char c = in.peek();
            if (c == '"') {
                if (in.peek(1) == '"') {
                    cell.text += '"';
                    in.next();
                    in.next();
                    continue;
                }
                in.next();
                break;
            }
            if (c == '\r' && in.peek(1) == '\n') {  // a line break inside quotes is kept as "\n"
                in.next();
                continue;
            }
            cell.text += c;
            in.next();
        }
        if (!in.done() && in.peek() != ',' && !in.at_line_end())
            throw CsvError(path, in.line(), in.column(), "expected ',' or the end of the line after a closing quote, found '" + std::string(1, in.peek()) + "'");
        return cell;
    }
    while (!in.done() && in.peek() != ',' && !in.at_line_end()) {
        if (in.peek() == '"')
            throw CsvError(path, in.line(), in.column(), "'\"' inside an unquoted field (quote the whole field and double the quote)");
        cell.text += in.peek();
        in.next();
    }
    return cell;
}

std::string field_list(const std::vector<CsvCell>& header, std::size_t from) {
    std::string s;
    for (std::size_t i = from; i < header.size() && i < from + 4; ++i) s += (s.empty() ? "'" : ", '") + header[i].text + "'";
    if (header.size() > from + 4) s += ", ...";
    return s;
}

// Length of the well-formed UTF-8 sequence at text[i] (1 to 4), or 0 when the bytes there are not
// one (a stray continuation byte, a truncated sequence, an overlong form, a surrogate, > U+10FFFF).
std::size_t utf8_length(std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
    unsigned c = byte(0);
    if (c < 0x80) return 1;
    std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((byte(k) & 0xC0) != 0x80) return 0;
    unsigned c1 = byte(1);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) return 0;
    return n;
}

// A CSV's text is UTF-8: the first byte that is not is reported where the reader would see it.
void check_utf8(std::string_view text, const std::string& path) {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = utf8_length(text, i);
        if (n == 0) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[i]));
            throw CsvError(path, line, column, std::string("not UTF-8: byte ") + hex + " does not begin a valid UTF-8 character");
        }
        char c = text[i];
        if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) ++line, column = 1;
        else if (c != '\r' && !(i == 0 && text.substr(0, 3) == "\xEF\xBB\xBF")) ++column;
        i += n;
    }
}

} // namespace

LocatedCsv parse_located_csv(std::string_view text, const std::string& path) {
    LocatedCsv csv;
    csv.path = path;
    check_utf8(text, path);
    Cursor in(text);
    while (!in.done()) {
        if (in.at_line_end()) {  // an empty line
            in.skip_line_end();
            continue;
        }
        std::vector<CsvCell> row;
        for (;;) {
            row.push_back(read_cell(in, path));
            if (in.peek() == ',' && !in.done()) {
                in.next();
                continue;
            }
            break;
        }
        if (csv.header.empty()) {
            csv.header = row;
            for (std::size_t i = 0; i < row.size(); ++i) {
                if (row[i].text.empty()) throw CsvError(path, row[i].line, row[i].column, "empty column name in the header");
                for (std::size_t j = 0; j < i; ++j)
                    if (row[j].text == row[i].text)
                        throw CsvError(path, row[i].line, row[i].column,
                                       "duplicate column '" + row[i].text + "' in the header (first at column " + std::to_string(row[j].column) + ")");
            }
        } else if (row.size() != csv.header.size()) {
            std::string what = "row has " + std::to_string(row.size()) + " fields, the header has " + std::to_string(csv.header.size());
            if (row.size() > csv.header.size()) {
                const CsvCell& extra = row[csv.header.size()];
                throw CsvError(path, extra.line, extra.column, what + " (extra field '" + extra.text + "')");
            }
            throw CsvError(path, in.line(), in.column(), what + " (missing " + field_list(csv.header, row.size()) + ")");
        } else {
            csv.rows.push_back(std::move(row));
        }
        in.skip_line_end();
    }
    csv.line_count = in.line();
    if (csv.header.empty()) throw CsvError(path, 1, 1, "empty file: expected a header row");
    return csv;
}

LocatedCsv read_located_csv(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw CsvError(path, 0, 0, std::string("cannot read the file: ") + std::strerror(errno));
    std::ostringstream ss;
    ss << f.rdbuf();
    return parse_located_csv(ss.str(), path);
}

namespace {
std::string_view trim_blanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}
} // namespace

bool parse_number(std::string_view s, double& out) {
    s = trim_blanks(s);
    if (s.empty()) return false;
    if (s.front() == '+') s.remove_prefix(1);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

bool parse_positive_integer(std::string_view s, std::int64_t& out) {
    s = trim_blanks(s);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && out > 0;
}

} // namespace reports
