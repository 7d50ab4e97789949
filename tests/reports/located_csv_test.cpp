#include <doctest/doctest.h>

#include "reports/located_csv.h"

using reports::CsvError;
using reports::parse_located_csv;

namespace {
std::string error_of(const std::string& text) {
    try {
        parse_located_csv(text, "r.csv");
    } catch (const CsvError& e) {
        return e.what();
    }
    return "";
}
} // namespace

TEST_CASE("CSV cells keep their text, line and column") {
    auto csv = parse_located_csv("a,b,c\n1,\"x, y\",3\n4,\"say \"\"hi\"\"\",6\n", "r.csv");
    REQUIRE(csv.header.size() == 3);
    REQUIRE(csv.rows.size() == 2);
    CHECK(csv.rows[0][1].text == "x, y");
    CHECK(csv.rows[0][1].line == 2);
    CHECK(csv.rows[0][1].column == 3);
    CHECK(csv.rows[0][2].column == 10);
    CHECK(csv.rows[1][1].text == "say \"hi\"");
    CHECK(csv.column_index("c") == 2);
    CHECK(csv.column_index("z") == -1);
}

TEST_CASE("CSV: quoted line breaks, CRLF, BOM, empty lines, empty fields and no final newline") {
    auto csv = parse_located_csv("\xEF\xBB\xBFname,note\r\n\r\nq,\"two\r\nlines\"\r\nr,\n\ns,\"\"", "r.csv");
    REQUIRE(csv.rows.size() == 3);
    CHECK(csv.header[0].text == "name");
    CHECK(csv.rows[0][1].text == "two\nlines");
    CHECK(csv.rows[1][0].line == 5); // after a quoted line break the line count goes on
    CHECK(csv.rows[1][1].text.empty());
    CHECK(csv.rows[2][0].text == "s");
    CHECK(csv.rows[2][1].text.empty());
}

TEST_CASE("CSV columns count characters, not UTF-8 bytes") {
    auto csv = parse_located_csv("a,b\n\u00b5s\u00b1,x\n", "r.csv");
    CHECK(csv.rows[0][1].column == 5); // "µs±" is 3 characters, then the comma
}

TEST_CASE("malformed CSV is reported with file:line:column") {
    CHECK(error_of("a,b\n1,\"open\n2,3\n") == "r.csv:2:3: quoted field is never closed (missing '\"')");
    CHECK(error_of("a,b\n1,x\"y\n") == "r.csv:2:4: '\"' inside an unquoted field (quote the whole field and double the quote)");
    CHECK(error_of("a,b\n1,\"x\"y\n") == "r.csv:2:6: expected ',' or the end of the line after a closing quote, found 'y'");
    CHECK(error_of("a,b\n1,2,3\n") == "r.csv:2:5: row has 3 fields, the header has 2 (extra field '3')");
    CHECK(error_of("a,b,c\n1,2,3\n1\n") == "r.csv:3:2: row has 1 fields, the header has 3 (missing 'b', 'c')");
    CHECK(error_of("a,,c\n") == "r.csv:1:3: empty column name in the header");
    CHECK(error_of("a,b,a\n") == "r.csv:1:5: duplicate column 'a' in the header (first at column 1)");
    CHECK(error_of("") == "r.csv:1:1: empty file: expected a header row");
    CHECK(error_of("\n\n") == "r.csv:1:1: empty file: expected a header row");
}

TEST_CASE("an unreadable CSV file names the path") {
    try {
        reports::read_located_csv("/nonexistent/x.csv");
        FAIL("no error");
    } catch (const CsvError& e) {
        CHECK(std::string(e.what()).rfind("/nonexistent/x.csv: cannot read the file: ", 0) == 0);
    }
}

TEST_CASE("CSV text that is not UTF-8 is reported where the bad byte is") {
    CHECK(error_of("a,b\n\u00b5x,\xff\n") == "r.csv:2:4: not UTF-8: byte 0xFF does not begin a valid UTF-8 character");
    CHECK(error_of("a,b\n1,\xc3(\n") == "r.csv:2:3: not UTF-8: byte 0xC3 does not begin a valid UTF-8 character");  // truncated sequence
    CHECK(error_of("a,\xc0\xaf\n") == "r.csv:1:3: not UTF-8: byte 0xC0 does not begin a valid UTF-8 character");      // overlong '/'
    CHECK(error_of("\xEF\xBB\xBF" "a,\xed\xa0\x80\n") == "r.csv:1:3: not UTF-8: byte 0xED does not begin a valid UTF-8 character"); // surrogate
    CHECK(error_of("a,b\r\n1,\xf0\x9f\x98\x80\r\n").empty()); // an emoji is fine
}
