#include "reports/result_rows.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace reports {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

const std::vector<std::string> required_columns{"model", "M", "design", "status", "cycles"};
// What `bound` may say: the spatial model's units and levels, and the edge model's compute.
const std::set<std::string, std::less<>> bound_values{"array2d", "array1d", "dram", "global_buffer", "compute"};
// Present in some files and not others: allowed, the other rows have them empty.
const std::vector<std::string> optional_numeric_columns{"e2e_cycles", "e2e_energy_pj", "peak_macs_per_cycle", "dram_bandwidth_bytes_per_cycle",
                                                        "clock_mhz", "batch"};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool is_optional_numeric(std::string_view name) {
    return std::find(optional_numeric_columns.begin(), optional_numeric_columns.end(), name) != optional_numeric_columns.end();
}

bool is_metric(std::string_view name) {
    const auto& m = report_metric_columns();
    return std::find(m.begin(), m.end(), name) != m.end();
}

std::string join(const std::vector<std::string>& v, std::size_t max_items = 12) {
    std::string s;
    for (std::size_t i = 0; i < v.size() && i < max_items; ++i) s += (i ? ", " : "") + v[i];
    if (v.size() > max_items) s += ", ...";
    return s;
}

std::vector<std::string> names(const LocatedCsv& f) {
    std::vector<std::string> n;
    for (const auto& c : f.header) n.push_back(c.text);
    return n;
}

// Parameters that tell apart rows of one (model, M, design): varying inside such a group, with few
// distinct values overall (a metric varies too, but takes a new value at nearly every point).
std::vector<std::string> find_variant_columns(const ResultSet& set) {
    constexpr std::size_t max_distinct = 64;
    std::vector<std::string> out;
    for (std::size_t c = 0; c < set.columns.size(); ++c) {
        const std::string& name = set.columns[c];
        if (is_result_column(name) || name == "model" || name == "M" || name == "design") continue;
        std::set<std::string> distinct;
        std::map<std::string, std::string> first_in_group;
        bool varies = false;
        for (const auto& r : set.rows) {
            distinct.insert(r.cells[c]);
            std::string key = r.model + '\x1f' + std::to_string(r.M) + '\x1f' + r.design;
            auto [it, inserted] = first_in_group.emplace(key, r.cells[c]);
            if (!inserted && it->second != r.cells[c]) varies = true;
        }
        if (varies && distinct.size() <= max_distinct) out.push_back(name);
    }
    return out;
}

} // namespace

int ResultSet::column(std::string_view name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) return static_cast<int>(i);
    return -1;
}

double ResultSet::value(const ResultRow& r, std::string_view name) const {
    int c = column(name);
    return c < 0 ? nan_value : r.values[static_cast<std::size_t>(c)];
}

std::string ResultSet::cell(const ResultRow& r, std::string_view name) const {
    int c = column(name);
    return c < 0 ? std::string() : r.cells[static_cast<std::size_t>(c)];
}

const std::vector<std::string>& report_metric_columns() {
    static const std::vector<std::string> m{"cycles", "time_s", "energy_pj", "util_2d", "util_1d", "dram_bytes", "dram_read_bytes",
                                            "dram_write_bytes", "buffer_bytes", "buffer_bytes_required", "macs", "energy_array2d_pj",
                                            "energy_array1d_pj", "energy_rf_pj", "energy_buffer_pj", "energy_dram_pj", "energy_static_pj"};
    return m;
}

bool is_result_column(std::string_view name) {
    static const std::set<std::string, std::less<>> fixed{"status", "reason", "bound", "layers", "point", "point_key", "job_id", "id", "index", "row"};
    if (fixed.count(name) || is_metric(name) || is_optional_numeric(name)) return name != "batch";
    auto ends = [&](std::string_view suffix) { return name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix; };
    auto starts = [&](std::string_view prefix) { return name.substr(0, prefix.size()) == prefix; };
    return ends("_id") || ends("_key") || starts("speedup_vs_") || starts("energy_ratio_vs_") || starts("e2e_speedup_vs_") ||
           starts("e2e_energy_ratio_vs_");
}

ResultSet load_results(const std::vector<LocatedCsv>& files) {
    ResultSet set;
    if (files.empty()) throw CsvError("", 0, 0, "no results file given");
    // Columns: required ones in every file; metric columns in all files or none.
    for (const auto& f : files) {
        set.files.push_back(f.path);
        for (const auto& r : required_columns)
            if (f.column_index(r) < 0)
                throw CsvError(f.path, 1, 0, "missing required column '" + r + "' (the header has: " + join(names(f)) + ")");
        for (const auto& c : f.header)
            if (std::find(set.columns.begin(), set.columns.end(), c.text) == set.columns.end()) set.columns.push_back(c.text);
    }
    for (const auto& name : report_metric_columns()) {
        const LocatedCsv* with = nullptr;
        const LocatedCsv* without = nullptr;
        for (const auto& f : files) {
            if (f.column_index(name) >= 0) {
                if (!with) with = &f;
            } else if (!without) {
                without = &f;
            }
        }
        if (with && without)
            throw CsvError(without->path, 1, 0,
                           "column '" + name + "' is in " + with->path + " but not in " + without->path +
                               "; results combined into one report must share their metric columns");
    }
    for (const auto& name : set.columns) {
        std::vector<std::string> lacking;
        for (const auto& f : files)
            if (f.column_index(name) < 0) lacking.push_back(f.path);
        if (!lacking.empty()) set.notes.push_back("column '" + name + "' is empty for rows from " + join(lacking, 4) + ", which lack it");
    }

    for (const auto& f : files) {
        std::vector<int> map_to(set.columns.size(), -1);
        for (std::size_t c = 0; c < set.columns.size(); ++c) map_to[c] = f.column_index(set.columns[c]);
        for (const auto& cells : f.rows) {
            ResultRow r;
            r.file = f.path;
            r.line = cells.front().line;
            r.cells.resize(set.columns.size());
            r.values.assign(set.columns.size(), nan_value);
            for (std::size_t c = 0; c < set.columns.size(); ++c) {
                if (map_to[c] < 0) continue;
                r.cells[c] = cells[static_cast<std::size_t>(map_to[c])].text;
                double v;
                if (parse_number(r.cells[c], v)) r.values[c] = v;
            }
            auto at = [&](const std::string& name) -> const CsvCell& { return cells[static_cast<std::size_t>(f.column_index(name))]; };
            r.model = std::string(trim(at("model").text));
            r.design = std::string(trim(at("design").text));
            const CsvCell& status = at("status");
            std::string_view st = trim(status.text);
            if (st == "ok") r.status = PointStatus::ok;
            else if (st == "illegal") r.status = PointStatus::illegal;
            else if (st == "error") r.status = PointStatus::error;
            else throw CsvError(f.path, status.line, status.column, "status must be ok, illegal or error, not '" + status.text + "'");
            if (f.column_index("reason") >= 0) r.reason = at("reason").text;
            const CsvCell& m = at("M");
            bool ok = r.status == PointStatus::ok;
            if ((ok || !trim(m.text).empty()) && !parse_positive_integer(m.text, r.M))
                throw CsvError(f.path, m.line, m.column, "M (the sequence length) must be a positive integer, not '" + m.text + "'");
            if (ok) {
                if (r.model.empty()) throw CsvError(f.path, at("model").line, at("model").column, "empty model name in an ok row");
                if (r.design.empty()) throw CsvError(f.path, at("design").line, at("design").column, "empty design name in an ok row");
                for (std::size_t c = 0; c < set.columns.size(); ++c) {
                    const std::string& name = set.columns[c];
                    if (map_to[c] < 0) continue;
                    const CsvCell& cell = cells[static_cast<std::size_t>(map_to[c])];
                    auto bad = [&](const std::string& what) { throw CsvError(f.path, cell.line, cell.column, "column '" + name + "' " + what + ", not '" + cell.text + "'"); };
                    if (name == "bound") {
                        if (!trim(cell.text).empty() && !bound_values.count(trim(cell.text)))
                            bad("must be array2d, array1d, dram, global_buffer or compute");
                        continue;
                    }
                    if (!(is_metric(name) || is_optional_numeric(name))) continue;
                    // cycles is what every comparison divides by: an ok row needs a positive number.
                    if (name == "cycles" && trim(cell.text).empty()) bad("must be a positive number in an ok row");
                    if (trim(cell.text).empty()) continue;
                    const double v = r.values[c];
                    if (std::isnan(v) && !parse_number(cell.text, r.values[c])) bad("must be a number");
                    if (!std::isfinite(v)) bad("must be a finite number");
                    if (name == "cycles" && v <= 0) bad("must be a positive number in an ok row");
                    if (v < 0) bad("must not be negative");
                    if ((name == "util_2d" || name == "util_1d") && v > 1 + 1e-9) bad("is a utilization: at most 1");
                }
            }
            set.rows.push_back(std::move(r));
        }
    }

    set.variant_columns = find_variant_columns(set);
    std::vector<int> vcols;
    for (const auto& v : set.variant_columns) vcols.push_back(set.column(v));
    // Labels name a parameter by the last part of its key path (arch.array2d.rows -> rows) when
    // that is unambiguous.
    std::vector<std::string> label;
    for (const auto& v : set.variant_columns) label.push_back(v.substr(v.find_last_of('.') == std::string::npos ? 0 : v.find_last_of('.') + 1));
    for (std::size_t i = 0; i < label.size(); ++i)
        if (std::count(label.begin(), label.end(), label[i]) > 1 || label[i].empty()) label[i] = set.variant_columns[i];
    for (auto& r : set.rows) {
        std::string params;
        for (std::size_t i = 0; i < vcols.size(); ++i) {
            const std::string& v = r.cells[static_cast<std::size_t>(vcols[i])];
            if (v.empty()) continue;
            params += (params.empty() ? "" : ", ") + label[i] + "=" + v;
        }
        r.variant = params.empty() ? r.design : r.design + " (" + params + ")";
    }
    // The same point twice: one (model, M, design) whose rows agree in every parameter column both
    // rows' files have. A row from a file without a parameter column has no value there that could
    // set it apart, so it is the same point as a row of that design with any value in it. Rows are
    // indexed by the parameters they share with each kind of file (which columns a file has), so
    // that this stays one lookup per row and kind of file.
    using Columns = std::vector<bool>; // per variant column: present
    std::map<std::string, Columns> file_has;
    std::set<Columns> kinds;
    for (const auto& f : files) {
        Columns has;
        for (const auto& v : set.variant_columns) has.push_back(f.column_index(v) >= 0);
        kinds.insert(file_has[f.path] = has);
    }
    auto both = [](const Columns& a, const Columns& b) {
        Columns c(a.size());
        for (std::size_t i = 0; i < a.size(); ++i) c[i] = a[i] && b[i];
        return c;
    };
    auto key = [&](const ResultRow& r, const Columns& on) {
        std::string k = r.model + '\x1f' + std::to_string(r.M) + '\x1f' + r.design;
        for (std::size_t i = 0; i < on.size(); ++i)
            if (on[i]) k += '\x1f' + r.cells[static_cast<std::size_t>(vcols[i])];
        return k;
    };
    // (a kind of file, the columns compared) -> key -> the first row of that kind with it.
    std::map<std::pair<Columns, Columns>, std::map<std::string, const ResultRow*>> seen;
    for (const auto& r : set.rows) {
        if (r.M == 0) continue; // a failed row without a sequence length is not a point to compare
        const Columns& has = file_has[r.file];
        const ResultRow* first = nullptr;
        for (const Columns& kind : kinds) {
            const Columns on = both(kind, has);
            auto index = seen.find({kind, on});
            if (index == seen.end()) continue;
            auto it = index->second.find(key(r, on));
            if (it != index->second.end() && (!first || it->second < first)) first = it->second;
        }
        if (first) {
            // Parameters the two rows cannot be compared on: one of their files lacks the column.
            std::vector<std::string> lacking;
            const Columns& first_has = file_has[first->file];
            for (std::size_t i = 0; i < has.size(); ++i)
                if (has[i] != first_has[i]) lacking.push_back("'" + set.variant_columns[i] + "' (not in " + (has[i] ? first->file : r.file) + ")");
            throw CsvError(r.file, r.line, 0,
                           "duplicate point: model " + r.model + ", M " + std::to_string(r.M) + ", design " + r.variant + " is already at " +
                               csv_location(first->file, first->line) +
                               (lacking.empty() ? "" : "; the two differ only in parameter columns that one file lacks: " + join(lacking, 4)));
        }
        for (const Columns& kind : kinds) seen[{has, both(has, kind)}].emplace(key(r, both(has, kind)), &r);
    }
    return set;
}

ResultSet load_results(const std::vector<std::string>& paths) {
    std::vector<LocatedCsv> files;
    for (const auto& p : paths) files.push_back(read_located_csv(p));
    return load_results(files);
}

ValidationSet load_validation(const LocatedCsv& f) {
    ValidationSet v;
    v.file = f.path;
    v.columns = names(f);
    for (const char* r : {"job_id", "predicted_us", "measured_us"})
        if (f.column_index(r) < 0)
            throw CsvError(f.path, 1, 0, std::string("missing required column '") + r + "' in the validation file (the header has: " + join(names(f)) + ")");
    int dec = f.column_index("decomposition"), err = f.column_index("abs_pct_err");
    for (const auto& cells : f.rows) {
        ValidationRow r;
        r.file = f.path;
        r.line = cells.front().line;
        for (const auto& c : cells) r.cells.push_back(c.text);
        r.job_id = cells[static_cast<std::size_t>(f.column_index("job_id"))].text;
        if (dec >= 0) r.decomposition = cells[static_cast<std::size_t>(dec)].text;
        auto number = [&](int column, double& out) {
            const CsvCell& c = cells[static_cast<std::size_t>(column)];
            out = nan_value;
            if (trim(c.text).empty()) return;
            if (!parse_number(c.text, out))
                throw CsvError(f.path, c.line, c.column, "column '" + f.header[static_cast<std::size_t>(column)].text + "' must be a number, not '" + c.text + "'");
        };
        number(f.column_index("predicted_us"), r.predicted_us);
        number(f.column_index("measured_us"), r.measured_us);
        r.abs_pct_err = std::abs(r.predicted_us - r.measured_us) / r.measured_us * 100;
        if (err >= 0) {
            double given;
            number(err, given);
            if (!std::isnan(given)) r.abs_pct_err = given;
        }
        v.rows.push_back(std::move(r));
    }
    return v;
}

ValidationSet load_validation(const std::string& path) { return load_validation(read_located_csv(path)); }

std::string PeerRow::group() const {
    return "B=" + std::to_string(B) + ", " + std::to_string(H) + "/" + std::to_string(Hkv) + ", E=" + std::to_string(E);
}

PeerSet load_peer_comparison(const LocatedCsv& f) {
    PeerSet s;
    s.file = f.path;
    s.columns = names(f);
    for (const char* r : {"job_id", "B", "H", "Hkv", "E", "M", "ours_us", "best_peer_us", "speedup_vs_best"})
        if (f.column_index(r) < 0)
            throw CsvError(f.path, 1, 0, std::string("missing required column '") + r + "' in the peer comparison (einsim gpu-compare --out; the header has: " +
                                             join(names(f)) + ")");
    const int best = f.column_index("best_peer"), copy = f.column_index("copy_fraction");
    s.target_speedup = nan_value;
    s.target_copy_fraction = nan_value;
    // A target column's one value: its first non-empty cell; another value further down is an error.
    struct Seen {
        int line = 0;
        std::string text;
    };
    auto target = [&](const std::vector<CsvCell>& cells, const char* name, double& into, Seen& first) {
        const int col = f.column_index(name);
        if (col < 0) return;
        const CsvCell& c = cells[static_cast<std::size_t>(col)];
        if (trim(c.text).empty()) return;
        double v = 0;
        if (!parse_number(c.text, v) || !(v > 0)) throw CsvError(f.path, c.line, c.column, std::string("column '") + name + "' must be a positive number, not '" + c.text + "'");
        if (std::isnan(into)) {
            into = v, first = {c.line, c.text};
        } else if (v != into) {
            throw CsvError(f.path, c.line, c.column, std::string("column '") + name + "' is " + c.text + " here and " + first.text + " on line " +
                                                         std::to_string(first.line) + ": one comparison holds its jobs to one target");
        }
    };
    Seen speedup_seen, copy_seen;
    for (const auto& cells : f.rows) {
        PeerRow r;
        r.file = f.path;
        r.line = cells.front().line;
        for (const auto& c : cells) r.cells.push_back(c.text);
        auto cell = [&](const char* name) -> const CsvCell& { return cells[static_cast<std::size_t>(f.column_index(name))]; };
        auto positive = [&](const CsvCell& c, const std::string& column) {
            double v = 0;
            if (!parse_number(c.text, v) || !(v > 0)) throw CsvError(f.path, c.line, c.column, "column '" + column + "' must be a positive number, not '" + c.text + "'");
            return v;
        };
        auto count = [&](const char* name) {
            const CsvCell& c = cell(name);
            double v = positive(c, name);
            if (v != std::floor(v)) throw CsvError(f.path, c.line, c.column, std::string("column '") + name + "' must be a positive integer, not '" + c.text + "'");
            return static_cast<std::int64_t>(v);
        };
        r.job_id = cell("job_id").text;
        r.B = count("B"), r.H = count("H"), r.Hkv = count("Hkv"), r.E = count("E"), r.M = count("M");
        r.ours_us = positive(cell("ours_us"), "ours_us");
        r.best_peer_us = positive(cell("best_peer_us"), "best_peer_us");
        r.speedup_vs_best = positive(cell("speedup_vs_best"), "speedup_vs_best");
        if (best >= 0) r.best_peer = cells[static_cast<std::size_t>(best)].text;
        target(cells, "target_speedup", s.target_speedup, speedup_seen);
        target(cells, "target_copy_fraction", s.target_copy_fraction, copy_seen);
        r.copy_fraction = nan_value;
        if (copy >= 0) {
            const CsvCell& c = cells[static_cast<std::size_t>(copy)];
            if (!trim(c.text).empty() && !parse_number(c.text, r.copy_fraction))
                throw CsvError(f.path, c.line, c.column, "column 'copy_fraction' must be a number, not '" + c.text + "'");
        }
        s.rows.push_back(std::move(r));
    }
    return s;
}

PeerSet load_peer_comparison(const std::string& path) { return load_peer_comparison(read_located_csv(path)); }

} // namespace reports
