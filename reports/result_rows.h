// The rows a report is drawn from: `einsim sweep` and `einsim compare --format csv` results read
// from one or more CSV files and checked once (required columns, numbers, status values, columns
// shared between files, duplicate points), so that the plots can trust them.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "reports/located_csv.h"

namespace reports {

enum class PointStatus { ok, illegal, error };

struct ResultRow {
    std::string file;                 // where the row came from
    int line = 0;
    std::string model, design, reason;
    std::int64_t M = 0;               // sequence length; 0 when a failed row has none
    PointStatus status = PointStatus::ok;
    std::string variant;              // the design, plus the parameters that tell its rows apart
    std::vector<std::string> cells;   // one per ResultSet::columns; "" where the row's file lacks the column
    std::vector<double> values;       // the cells as numbers; NaN when empty or not a number
};

struct ResultSet {
    std::vector<std::string> files;
    std::vector<std::string> columns;         // union over the files, in first-seen order
    std::vector<std::string> variant_columns; // parameter columns that differ between rows of one (model, M, design)
    std::vector<std::string> notes;           // things the reader should know (columns missing from some files)
    std::vector<ResultRow> rows;              // in file order

    int column(std::string_view name) const;  // -1 when absent
    bool has(std::string_view name) const { return column(name) >= 0; }
    double value(const ResultRow& r, std::string_view name) const;     // NaN when absent or empty
    std::string cell(const ResultRow& r, std::string_view name) const; // "" when absent
};

// Metric columns every combined file must share when any has them; numbers in ok rows.
const std::vector<std::string>& report_metric_columns();
// Columns that are results or row identities rather than parameters of a design point.
bool is_result_column(std::string_view name);

// Reads results. Required columns: model, M, design, status, cycles; `reason` and the other metrics
// when present. Throws CsvError (file:line:column) on a missing required column, a metric column in
// some files but not others, a status other than ok/illegal/error, a sequence length that is not a
// positive integer, in an ok row a cycles that is not a positive number, a metric that is not a
// finite number >= 0, a utilization above 1 or an unknown bound, or the same point twice (one model,
// M and design whose rows agree in every parameter column both their files have), at the second row.
ResultSet load_results(const std::vector<LocatedCsv>& files);
ResultSet load_results(const std::vector<std::string>& paths);

// Rows of `einsim validate` (predicted vs measured GPU times).
struct ValidationRow {
    std::string file;
    int line = 0;
    std::string job_id, decomposition;  // decomposition "" when the file has no such column
    double predicted_us = 0, measured_us = 0; // NaN when empty
    double abs_pct_err = 0;             // |predicted - measured| / measured x 100, computed when absent
    std::vector<std::string> cells;     // one per ValidationSet::columns
};

struct ValidationSet {
    std::string file;
    std::vector<std::string> columns;
    std::vector<ValidationRow> rows;
};

// Required columns: job_id, predicted_us, measured_us (decomposition, abs_pct_err optional).
// Throws CsvError on a missing column or a value that is not a number.
ValidationSet load_validation(const LocatedCsv& file);
ValidationSet load_validation(const std::string& path);

// Rows of `einsim gpu-compare --out` (our measured kernel against PyTorch SDPA of the same run).
struct PeerRow {
    std::string file;
    int line = 0;
    std::string job_id, best_peer;
    std::int64_t B = 0, H = 0, Hkv = 0, E = 0, M = 0;
    double ours_us = 0, best_peer_us = 0, speedup_vs_best = 0;
    double copy_fraction = 0;           // NaN when the file has no such column
    std::vector<std::string> cells;     // one per PeerSet::columns
    std::string group() const;          // "B=1, 32/32, E=128": the rows a line joins over M
};

struct PeerSet {
    std::string file;
    std::vector<std::string> columns;
    std::vector<PeerRow> rows;
    double target_speedup = 0;       // the speedup every job was held to; NaN when the file names none
    double target_copy_fraction = 0; // the copy fraction the long jobs were held to; NaN likewise
};

// Required columns: job_id, B, H, Hkv, E, M (positive integers), ours_us, best_peer_us,
// speedup_vs_best (positive numbers); best_peer, copy_fraction, target_speedup and
// target_copy_fraction optional (a target column holds one positive value, or empty cells).
// Throws CsvError (file:line:column) on a missing column, a bad value or a second target value.
PeerSet load_peer_comparison(const LocatedCsv& file);
PeerSet load_peer_comparison(const std::string& path);

} // namespace reports
