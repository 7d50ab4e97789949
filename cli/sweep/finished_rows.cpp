#include "cli/sweep/finished_rows.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/sweep/evaluate_point.h"
#include "einsum/input_error.h"
#include "reports/located_csv.h"
#include "reports/result_json.h"

namespace cli::sweep {
namespace {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

} // namespace

std::map<std::size_t, const Point*> points_by_index(const std::vector<Point>& points) {
    std::map<std::size_t, const Point*> m;
    for (const auto& p : points) m[p.index] = &p;
    return m;
}

const Point& check_finished_row(const SweepSpec& s, const std::map<std::size_t, const Point*>& points, const reports::CsvFile& f, std::size_t r) {
    const std::vector<std::string>& row = f.rows[r];
    const int line = f.row_lines[r];
    auto fail = [&](const std::string& column, const std::string& what) { throw einsum::InputError({f.path, line, 0, column}, what); };
    const std::string& index_text = row[0];
    std::size_t index = 0;
    auto [end, ec] = std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
    if (index_text.empty() || ec != std::errc() || end != index_text.data() + index_text.size())
        fail("point", "the point index " + quoted(index_text) + " is not a whole number");
    auto it = points.find(index);
    if (it == points.end())
        fail("point", "point " + index_text + " is not a point of " + s.file + " (out of range, or excluded)");
    const Point& p = *it->second;
    const std::vector<std::string> expected = point_cells(s, p);
    for (std::size_t c = 1; c < expected.size(); ++c)
        if (row[c] != expected[c])
            fail(f.header[c], "column " + f.header[c] + " is " + quoted(row[c]) + " but point " + index_text + " of " + s.file + " has " +
                                  quoted(expected[c]) + " (a row of another sweep, or edited?)");
    const std::size_t status_at = expected.size();
    const std::string& status = row[status_at];
    if (status != "ok" && status != "illegal") fail("status", "status must be ok or illegal, not " + quoted(status));
    const bool ok = status == "ok";
    // Everything after status and reason is a number, except the bound; an ok row has every metric.
    const std::vector<std::string> metrics = reports::metric_columns();
    for (std::size_t c = status_at + 2; c < row.size(); ++c) {
        const std::string& name = f.header[c];
        const bool is_metric = std::find(metrics.begin(), metrics.end(), name) != metrics.end();
        if (name == "bound") {
            static const std::set<std::string> bounds{"array2d", "array1d", "dram", "global_buffer"};
            if ((ok || !row[c].empty()) && !bounds.count(row[c]))
                fail(name, "bound must be array2d, array1d, dram or global_buffer, not " + quoted(row[c]));
            continue;
        }
        if (row[c].empty()) {
            if (ok && is_metric) fail(name, "an ok row has no " + name);
            continue;
        }
        double v = 0;
        if (!reports::parse_number(row[c], v) || !std::isfinite(v)) fail(name, name + " must be a finite number, not " + quoted(row[c]));
    }
    return p;
}

void check_resumable(const SweepSpec& s, const reports::CsvFile& f, int shard_index, int shard_count) {
    const std::string sidecar = f.path + ".json";
    if (std::ifstream in(sidecar, std::ios::binary); in) {
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(in);
        } catch (const std::exception& e) {
            throw einsum::InputError({sidecar, 0, 0, ""}, "cannot resume " + f.path + ": its sidecar is not valid JSON (" + e.what() + ")");
        }
        if (!j.is_object() || !j.contains("sweep_fnv1a64") || !j["sweep_fnv1a64"].is_string())
            throw einsum::InputError({sidecar, 0, 0, "sweep_fnv1a64"}, "cannot resume " + f.path + ": its sidecar records no sweep hash");
        const std::string recorded = j["sweep_fnv1a64"].get<std::string>();
        if (recorded != s.sha) {
            std::string from = j.contains("sweep_file") && j["sweep_file"].is_string() ? j["sweep_file"].get<std::string>() : std::string("?");
            throw einsum::InputError({sidecar, 0, 0, "sweep_fnv1a64"},
                                     "cannot resume " + f.path + ": it was written by sweep file " + from + " (hash " + recorded + "), and " + s.file +
                                         " hashes to " + s.sha + " (another or an edited sweep file; run without --resume and with --force to start over)");
        }
    }
    const std::vector<Point> all = enumerate_points(s);
    const auto points = points_by_index(all);
    std::map<std::size_t, int> seen; // point index -> line
    for (std::size_t r = 0; r < f.rows.size(); ++r) {
        const Point* found = nullptr;
        try {
            found = &check_finished_row(s, points, f, r);
        } catch (const einsum::InputError& e) {
            throw einsum::InputError(e.where(), "cannot resume: " + e.reason());
        }
        const Point& p = *found;
        if (static_cast<int>(p.index % static_cast<std::size_t>(shard_count)) != shard_index)
            throw einsum::InputError({f.path, f.row_lines[r], 0, "point"}, "cannot resume: point " + std::to_string(p.index) + " is not in shard " +
                                                                              std::to_string(shard_index) + "/" + std::to_string(shard_count));
        auto [it, inserted] = seen.emplace(p.index, f.row_lines[r]);
        if (!inserted)
            throw einsum::InputError({f.path, f.row_lines[r], 0, "point"}, "cannot resume: point " + std::to_string(p.index) + " (" + p.key() +
                                                                              ") is already at line " + std::to_string(it->second));
    }
}

} // namespace cli::sweep
