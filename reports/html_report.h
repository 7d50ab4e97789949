// The report as one self-contained HTML page: inline CSS and inline SVG plots, each followed by the
// table it was drawn from; no scripts, no fonts or images to fetch, so it opens offline.
#pragma once
#include <string>
#include <vector>

#include "reports/report_model.h"

namespace reports {

struct HtmlReport {
    std::string html;
    std::vector<std::string> figures; // the title of every plot, in page order
};

HtmlReport render_html_report(const ReportModel& model);

// Number formatting shared by the page and the Markdown summary.
std::string format_value(double v);              // 4 significant digits, SI suffix from 10k up; "–" for NaN
std::string format_significant(double v, int digits); // "%.<digits>g"; "–" for NaN
std::string format_ratio(double v);              // 2 decimals and "x" (3 below 1): 6.70x, 0.793x
std::string format_percent(double fraction);     // 0.973 -> 97.3%

} // namespace reports
