// The rows a sweep CSV already holds, checked against the sweep before they are trusted (--resume
// keeps them, merge joins them): the sidecar's sweep hash, and each row's point index, key and
// parameter cells, status and numbers, with no point twice.
#pragma once
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "cli/sweep/points.h"
#include "cli/sweep/sweep_spec.h"
#include "reports/csv_read.h"

namespace cli::sweep {

// The sweep's points by index.
std::map<std::size_t, const Point*> points_by_index(const std::vector<Point>& points);

// Checks that row r of `f` (a CSV with this sweep's columns) is the row of a point of the sweep and
// returns that point; throws einsum::InputError at the row's file:line (and column name) otherwise.
const Point& check_finished_row(const SweepSpec& s, const std::map<std::size_t, const Point*>& points, const reports::CsvFile& f, std::size_t r);

// --resume: every row of `f` is a row of this sweep's shard `shard_index`/`shard_count`, no point
// twice, and the sidecar beside the CSV (when there is one) names this sweep file's hash.
void check_resumable(const SweepSpec& s, const reports::CsvFile& f, int shard_index, int shard_count);

} // namespace cli::sweep
