// Number formatting shared by the HTML pages and the Markdown summaries of the reports.
#pragma once
#include <string>

namespace reports {

std::string format_value(double v);              // 4 significant digits, SI suffix from 10k up; "–" for NaN
std::string format_significant(double v, int digits); // "%.<digits>g"; "–" for NaN
std::string format_ratio(double v);              // 2 decimals and "x" (3 below 1): 6.70x, 0.793x
std::string format_percent(double fraction);     // 0.973 -> 97.3%

} // namespace reports
