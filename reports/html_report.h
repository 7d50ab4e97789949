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

} // namespace reports
