#include "reports/csv_read.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace reports {

int CsvFile::column(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<int>(i);
    return -1;
}

CsvFile parse_csv(const std::string& text, const std::string& path) {
    CsvFile f;
    f.path = path;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false, in_quotes = false, any = false;
    int line = 1, col = 0, record_line = 1;
    auto fail = [&](const std::string& what) {
        throw std::runtime_error(path + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + what);
    };
    auto end_record = [&]() {
        record.push_back(field);
        field.clear();
        quoted = false;
        if (f.header.empty()) {
            f.header = record;
        } else {
            if (record.size() != f.header.size())
                throw std::runtime_error(path + ":" + std::to_string(record_line) + ":1: row has " + std::to_string(record.size()) +
                                         " fields, the header " + std::to_string(f.header.size()));
            f.rows.push_back(record);
            f.row_lines.push_back(record_line);
        }
        record.clear();
        any = false;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        ++col;
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                    ++col;
                } else {
                    in_quotes = false;
                }
            } else {
                if (c == '\n') { ++line; col = 0; }
                field += c;
            }
            continue;
        }
        if (c == '"') {
            if (!field.empty() || quoted) fail("unexpected quote inside an unquoted field");
            in_quotes = quoted = any = true;
        } else if (c == ',') {
            record.push_back(field);
            field.clear();
            quoted = false;
            any = true;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        } else if (c == '\n') {
            end_record();
            ++line;
            col = 0;
            record_line = line;
        } else {
            if (quoted) fail("text after a closing quote");
            field += c;
            any = true;
        }
    }
    if (in_quotes || any || !field.empty()) {
        if (f.header.empty()) fail(in_quotes ? "unterminated quoted field" : "header without a newline");
        f.truncated_last_line = true; // a partial row: dropped
    }
    if (f.header.empty()) throw std::runtime_error(path + ":1:1: empty CSV file (no header)");
    return f;
}

CsvFile read_csv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot open CSV file");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_csv(ss.str(), path);
}

std::vector<std::string> split_csv_line(const std::string& line) {
    CsvFile f = parse_csv(line + "\n", "<line>");
    return f.header;
}

} // namespace reports
