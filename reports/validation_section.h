// The report's predicted-against-measured section: `einsim validate`'s rows as a scatter of
// predicted against measured time per decomposition, the error statistics and a table.
#pragma once
#include "reports/html_page.h"
#include "reports/report_model.h"

namespace reports {

void validation_section(Page& p, const ReportModel& m, int number);

} // namespace reports
