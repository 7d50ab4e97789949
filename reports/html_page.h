// The parts every einsim HTML report shares: its style sheet, tables of escaped cells, figures (an
// inline SVG plot, its numbered caption and the table it was drawn from) and the page frame. Plain
// markup and inline CSS only: the pages open offline and print.
#pragma once
#include <sstream>
#include <string>
#include <vector>

#include "reports/svg_plot.h"

namespace reports {

// A table of already-escaped cells; numeric columns are right-aligned.
struct HtmlTable {
    std::vector<std::string> head;
    std::vector<bool> numeric;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row_class; // optional class per cell column ("reason")

    std::string str() const;
};

// A page body under construction; figures are numbered in the order they are made.
class Page {
public:
    std::ostringstream body;
    std::vector<std::string> figures; // plot titles, in page order

    std::string figure(const svg::XyChart& c, const std::string& caption, const HtmlTable& table, bool wide = false);
    std::string figure(const svg::StackedBarChart& c, const std::string& caption, const HtmlTable& table, bool wide = false);

private:
    std::string next_id() const;
    std::string wrap(const std::string& svg_text, const std::string& title, const std::string& caption, const HtmlTable& table, bool wide);
};

// A coloured square to put before a design's or a series' name in a table cell.
std::string swatch(const std::string& colour);

// The whole document: `body` holds the header, <main> and its sections (already escaped); the footer
// names `generator` and closes <main>.
std::string html_document(const std::string& title, const std::string& body, const std::string& generator);

} // namespace reports
