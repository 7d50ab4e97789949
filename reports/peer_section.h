// The report's section on measured GPU kernels against PyTorch SDPA of the same run (`einsim
// gpu-compare --out`): the speedup over the best backend per shape across context lengths, with
// the parity and 0.95 lines, the fraction of copy bandwidth when the file has it, and a table.
#pragma once
#include "reports/html_page.h"
#include "reports/report_model.h"

namespace reports {

void peer_section(Page& p, const ReportModel& m, int number);

// "N at T<times> or more (the target)" over the file's rows, or that the file names no target.
std::string peer_target_phrase(const PeerSet& s, const std::string& times);

} // namespace reports
