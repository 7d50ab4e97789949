#include "reports/tradeoff_rows.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <map>

namespace reports {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string header_names(const LocatedCsv& f) {
    std::string s;
    for (std::size_t i = 0; i < f.header.size() && i < 16; ++i) s += (i ? ", " : "") + f.header[i].text;
    if (f.header.size() > 16) s += ", ...";
    return s;
}

// Reads the cells of one row by column name, each error located at its cell.
class RowReader {
public:
    RowReader(const LocatedCsv& f, const std::vector<CsvCell>& cells) : f_(f), cells_(cells) {}

    const CsvCell* find(const std::string& name) const {
        const int c = f_.column_index(name);
        return c < 0 ? nullptr : &cells_[static_cast<std::size_t>(c)];
    }
    std::string text(const std::string& name) const {
        const CsvCell* c = find(name);
        return c ? std::string(trim(c->text)) : std::string();
    }
    // A number in [lo, hi]; NaN for an absent column when `required` is false.
    double number(const std::string& name, double lo, double hi, const std::string& expected, bool required = true) const {
        const CsvCell* c = find(name);
        if (!c) {
            if (required) throw CsvError(f_.path, cells_.front().line, 0, "missing column '" + name + "'");
            return nan_value;
        }
        std::string_view s = trim(c->text);
        if (!s.empty() && s.front() == '+') s.remove_prefix(1);
        double v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (s.empty() || ec != std::errc() || end != s.data() + s.size())
            throw CsvError(f_.path, c->line, c->column, "column '" + name + "' must be a number, not '" + c->text + "'");
        if (!(v >= lo && v <= hi)) throw CsvError(f_.path, c->line, c->column, "column '" + name + "' must be " + expected + ", not '" + c->text + "'");
        return v;
    }
    std::int64_t whole(const std::string& name, std::int64_t lo, const std::string& expected) const {
        const double v = number(name, double(lo), 9.0e15, expected);
        const CsvCell* c = find(name);
        if (v != std::floor(v)) throw CsvError(f_.path, c->line, c->column, "column '" + name + "' must be " + expected + ", not '" + c->text + "'");
        return static_cast<std::int64_t>(v);
    }
    int line() const { return cells_.front().line; }

private:
    const LocatedCsv& f_;
    const std::vector<CsvCell>& cells_;
};

void require(const LocatedCsv& f, const std::vector<std::string>& columns, const std::string& what) {
    for (const auto& c : columns)
        if (f.column_index(c) < 0) throw CsvError(f.path, 1, 0, "missing required column '" + c + "' of " + what + " (the header has: " + header_names(f) + ")");
}

constexpr double inf = std::numeric_limits<double>::infinity();

void read_sparsity(const LocatedCsv& f, TradeoffSet& set, std::map<std::string, std::string>& seen) {
    require(f, {"theta", "W", "stage", "sparsity", "mac_skip_fraction", "max_rel_error"}, "an einsim sparsity CSV");
    for (const auto& cells : f.rows) {
        RowReader in(f, cells);
        SparsityRow r;
        r.file = f.path;
        r.line = in.line();
        r.cascade = in.text("cascade");
        r.input = in.text("input");
        r.shape = in.text("shape");
        r.decode_steps = in.text("decode_steps");
        r.block_elements = in.text("block_elements");
        r.theta = in.number("theta", 0, inf, "a threshold >= 0");
        r.window = in.whole("W", 0, "a whole number of keys >= 0");
        r.stage = in.text("stage");
        if (r.stage.empty()) throw CsvError(f.path, in.find("stage")->line, in.find("stage")->column, "empty stage (prefill, decode or overall)");
        r.tokens = in.find("tokens") ? in.whole("tokens", 0, "a whole number of tokens") : 0;
        r.sparsity = in.number("sparsity", 0, 1, "a fraction in [0, 1]");
        r.mac_skip_fraction = in.number("mac_skip_fraction", 0, 1, "a fraction in [0, 1]");
        r.max_rel_error = in.number("max_rel_error", 0, inf, "an error >= 0");
        r.block_sparsity = in.number("block_sparsity", 0, 1, "a fraction in [0, 1]", false);
        r.rms_rel_error = in.number("rms_rel_error", 0, inf, "an error >= 0", false);
        const std::string key = r.cascade + '\x1f' + r.input + '\x1f' + r.shape + '\x1f' + r.decode_steps + '\x1f' + r.block_elements + '\x1f' +
                                in.text("theta") + '\x1f' + std::to_string(r.window) + '\x1f' + r.stage;
        auto [it, inserted] = seen.emplace("s" + key, csv_location(r.file, r.line));
        if (!inserted)
            throw CsvError(r.file, r.line, 0, "the same point twice (theta " + in.text("theta") + ", W " + std::to_string(r.window) + ", stage " + r.stage +
                                                   "; first at " + it->second + ")");
        set.sparsity.push_back(std::move(r));
    }
}

void read_granularity(const LocatedCsv& f, TradeoffSet& set, std::map<std::string, std::string>& seen) {
    require(f, {"block_elements", "prefill_speedup", "prefill_energy_ratio", "decode_speedup", "decode_energy_ratio"},
            "an edge skip-granularity CSV");
    for (const auto& cells : f.rows) {
        RowReader in(f, cells);
        GranularityRow r;
        r.file = f.path;
        r.line = in.line();
        r.arch = in.text("arch");
        r.model = in.text("model");
        if (!in.text("heads").empty()) r.heads = in.text("heads") + "/" + in.text("kv_heads");
        r.window = in.text("window");
        r.prefill_tokens = in.text("prefill_tokens");
        r.decode_context = in.text("decode_context");
        r.element_sparsity = in.text("element_sparsity");
        r.block_elements = in.whole("block_elements", 1, "a whole number of elements >= 1");
        r.block_skip_probability = in.number("block_skip_probability", 0, 1, "a fraction in [0, 1]", false);
        r.prefill_speedup = in.number("prefill_speedup", 0, inf, "a ratio >= 0");
        r.prefill_energy_ratio = in.number("prefill_energy_ratio", 0, inf, "a ratio >= 0");
        r.decode_speedup = in.number("decode_speedup", 0, inf, "a ratio >= 0");
        r.decode_energy_ratio = in.number("decode_energy_ratio", 0, inf, "a ratio >= 0");
        const std::string key = r.arch + '\x1f' + r.model + '\x1f' + r.heads + '\x1f' + r.window + '\x1f' + r.prefill_tokens + '\x1f' + r.decode_context + '\x1f' +
                                r.element_sparsity + '\x1f' + std::to_string(r.block_elements);
        auto [it, inserted] = seen.emplace("g" + key, csv_location(r.file, r.line));
        if (!inserted)
            throw CsvError(r.file, r.line, 0, "the same point twice (block_elements " + std::to_string(r.block_elements) + "; first at " + it->second + ")");
        set.granularity.push_back(std::move(r));
    }
}

} // namespace

CsvKind csv_kind(const LocatedCsv& f) {
    if (f.column_index("theta") >= 0 && f.column_index("sparsity") >= 0) return CsvKind::sparsity;
    if (f.column_index("block_elements") >= 0 && f.column_index("prefill_speedup") >= 0) return CsvKind::granularity;
    return CsvKind::results;
}

TradeoffSet load_tradeoff(const std::vector<LocatedCsv>& files) {
    TradeoffSet set;
    if (files.empty()) throw CsvError("", 0, 0, "no CSV file given");
    std::map<std::string, std::string> seen;
    for (const auto& f : files) {
        set.files.push_back(f.path);
        switch (csv_kind(f)) {
        case CsvKind::sparsity: read_sparsity(f, set, seen); break;
        case CsvKind::granularity: read_granularity(f, set, seen); break;
        case CsvKind::results:
            throw CsvError(f.path, 1, 0,
                           "holds neither an einsim sparsity sweep (columns theta, W, stage, sparsity, ...) nor an edge skip-granularity sweep "
                           "(block_elements, prefill_speedup, ...); result CSVs make a report of their own");
        }
    }
    return set;
}

} // namespace reports
