// The report's Markdown summary, written next to the HTML page: headline numbers, speedup and energy
// ratio tables per design, points that failed, validation error, notes, and the list of figures.
#pragma once
#include <string>
#include <vector>

#include "reports/report_model.h"

namespace reports {

// `html_name` is the page's file name (linked from the summary); `figures` its plot titles.
std::string render_markdown_summary(const ReportModel& model, const std::string& html_name, const std::vector<std::string>& figures);

} // namespace reports
