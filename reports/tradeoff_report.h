// The DeltaLLM trade-off report: the sparsity–error sweeps of `einsim sparsity` (zero deltas and
// skipped multiply-adds against θ, output error against θ, error against sparsity, one line per
// window W) and the skip-granularity sweeps of the edge model (speedup and energy ratio against the
// skip-block size), as one self-contained HTML page and a Markdown summary, drawn with the same
// page, plots and tables as the results report.
#pragma once
#include <string>
#include <vector>

#include "reports/html_report.h"
#include "reports/tradeoff_rows.h"

namespace reports {

struct TradeoffReportOptions {
    std::string title = "einsim report";
    std::string generator = "einsim";
};

// What the rows show in a few checked sentences: the error at θ = 0 and where the window covers
// every key (exactness), whether sparsity and error grow with θ in every series, and for each edge
// workload the block sizes at which sparsity pays.
std::vector<std::string> tradeoff_findings(const TradeoffSet& set);

HtmlReport render_tradeoff_html(const TradeoffSet& set, const TradeoffReportOptions& options);

// `html_name` is the page's file name (linked from the summary); `figures` its plot titles.
std::string render_tradeoff_markdown(const TradeoffSet& set, const TradeoffReportOptions& options, const std::string& html_name,
                                     const std::vector<std::string>& figures);

} // namespace reports
