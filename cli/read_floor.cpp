#include "cli/read_floor.h"

#include <algorithm>
#include <cmath>

#include "einsum/input_error.h"
#include "reports/located_csv.h"

namespace cli {

ReadFloor read_floor_csv(const std::string& path) {
    const reports::LocatedCsv csv = reports::read_located_csv(path);
    const int name = csv.column_index("name"), value = csv.column_index("value"), unit = csv.column_index("unit");
    if (name < 0 || value < 0 || unit < 0)
        throw reports::CsvError(path, 1, 1, "expected einsim-gpu bench's columns name, value and unit");
    const int gpu = csv.column_index("gpu");
    const std::string prefix = "read_floor_us_";
    ReadFloor f;
    f.file = path;
    for (const auto& row : csv.rows) {
        const reports::CsvCell& n = row[name];
        if (n.text.rfind(prefix, 0) != 0) continue;
        const std::string size = n.text.substr(prefix.size());
        std::int64_t mib = 0;
        if (size.size() <= 3 || size.substr(size.size() - 3) != "MiB" || !reports::parse_positive_integer(size.substr(0, size.size() - 3), mib))
            throw reports::CsvError(path, n.line, n.column, "'" + n.text + "': expected read_floor_us_<N>MiB with N > 0");
        if (row[unit].text != "us")
            throw reports::CsvError(path, row[unit].line, row[unit].column, "'" + n.text + "' has unit '" + row[unit].text + "', expected us");
        const reports::CsvCell& v = row[value];
        double us = 0;
        if (!reports::parse_number(v.text, us) || !(us > 0) || !std::isfinite(us))
            throw reports::CsvError(path, v.line, v.column, "'" + n.text + "': value '" + v.text + "' is not a positive number of microseconds");
        const double bytes = double(mib) * 1024 * 1024;
        for (const auto& [b, t] : f.points)
            if (b == bytes) throw reports::CsvError(path, n.line, n.column, "'" + n.text + "' given twice");
        if (gpu >= 0) {
            const reports::CsvCell& g = row[gpu];
            if (f.gpu.empty()) f.gpu = g.text, f.gpu_line = g.line;
            else if (g.text != f.gpu)
                throw reports::CsvError(path, g.line, g.column, "'" + n.text + "' was measured on '" + g.text + "', the rows before on '" + f.gpu + "'");
        }
        f.points.push_back({bytes, us});
    }
    if (f.points.size() < 2)
        throw einsum::InputError({path, 0, 0, ""}, "fewer than two read_floor_us_<N>MiB rows (einsim-gpu bench --only floor writes them)");
    std::sort(f.points.begin(), f.points.end());
    return f;
}

double read_floor_us(const ReadFloor& f, double bytes) {
    const auto& p = f.points;
    if (bytes <= p.front().first) return p.front().second;
    std::size_t i = 1;
    while (i + 1 < p.size() && p[i].first < bytes) ++i;
    const auto& [b0, t0] = p[i - 1];
    const auto& [b1, t1] = p[i];
    return t0 + (t1 - t0) * (bytes - b0) / (b1 - b0); // past the last point: the last two's slope
}

} // namespace cli
