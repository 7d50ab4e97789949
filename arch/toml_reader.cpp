#include "arch/toml_reader.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "arch/suggest.h"

namespace arch {

using schema::Bound;

namespace {

std::string type_name(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
    }
    return "nothing";
}

std::string expected_number(Bound bound, bool integral) {
    std::string sign = bound == Bound::positive ? "a positive " : "a non-negative ";
    return sign + (integral ? "integer" : "number");
}

// Empty when `x` respects `bound` and lies in the span of magnitudes a hardware figure can take
// (rates, clocks, energies, latencies, sizes in their units), else the complaint: 1e-300 GB/s or a
// 1e300 MHz clock would overflow the models' cycle counts into nonsense rather than fail.
std::string bound_violation(double x, Bound bound) {
    if (bound == Bound::positive && !(x > 0)) return fmt::format("must be > 0, got {}", x);
    if (bound == Bound::non_negative && !(x >= 0)) return fmt::format("must be >= 0, got {}", x);
    constexpr double smallest = 1e-9, largest = 1e15;
    if (x != 0 && (std::abs(x) < smallest || std::abs(x) > largest))
        return fmt::format("{} is outside the magnitudes einsim computes with ({:g} to {:g})", x, smallest, largest);
    return {};
}

std::vector<std::string> strings(schema::Names names) { return {names.begin(), names.end()}; }

std::string unknown_name(std::string_view noun, std::string_view name, const std::vector<std::string>& allowed) {
    std::string s = fmt::format("unknown {} '{}'", noun, name);
    if (auto near = closest_match(name, allowed)) return s + " (did you mean '" + *near + "'?)";
    return s + " (expected one of: " + join(allowed) + ")";
}

} // namespace

TomlReader::TomlReader(const toml::table& table, std::string file, std::string prefix)
    : table_(table), file_(std::move(file)), prefix_(std::move(prefix)) {}

std::string TomlReader::path(std::string_view key) const {
    return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

ArchLocation TomlReader::at(const toml::source_region& where, const std::string& key_path) const {
    return {file_, static_cast<int>(where.begin.line), static_cast<int>(where.begin.column), key_path};
}

void TomlReader::fail(const toml::node& node, std::string_view key, const std::string& reason) const {
    throw ArchError(at(node.source(), path(key)), reason);
}

const toml::node* TomlReader::take(std::string_view key, const std::string& expected, bool defer) {
    known_.emplace_back(key);
    if (const toml::node* node = table_.get(key)) return node;
    ArchError error(at(table_.source(), path(key)), "required key is missing (expected " + expected + ")");
    if (!defer) throw error;
    if (!missing_) missing_ = std::move(error);
    return nullptr;
}

void TomlReader::finish() {
    for (const auto& [key, node] : table_) {
        std::string name(key.str());
        if (std::find(known_.begin(), known_.end(), name) != known_.end()) continue;
        std::string reason = "unknown key";
        if (auto near = closest_match(name, known_)) reason += " (did you mean '" + *near + "'?)";
        else reason += " (expected one of: " + join(known_) + ")";
        throw ArchError(at(key.source(), path(name)), reason);
    }
    if (missing_) throw *missing_;
}

void TomlReader::integer(std::string_view key, std::int64_t& value, Bound bound) {
    std::string expected = expected_number(bound, true);
    const toml::node* node = take(key, expected);
    if (!node) return;
    if (!node->is_integer()) fail(*node, key, "expected " + expected + ", got " + type_name(*node));
    std::int64_t x = node->as_integer()->get();
    if (bound == Bound::positive && x <= 0) fail(*node, key, fmt::format("must be > 0, got {}", x));
    if (bound == Bound::non_negative && x < 0) fail(*node, key, fmt::format("must be >= 0, got {}", x));
    value = x;
}

void TomlReader::number(std::string_view key, double& value, Bound bound) {
    std::string expected = expected_number(bound, false);
    const toml::node* node = take(key, expected);
    if (!node) return;
    double x = 0;
    if (node->is_integer()) x = static_cast<double>(node->as_integer()->get());
    else if (node->is_floating_point()) x = node->as_floating_point()->get();
    else fail(*node, key, "expected " + expected + ", got " + type_name(*node));
    if (!std::isfinite(x)) fail(*node, key, fmt::format("must be a finite number, got {}", x));
    if (auto v = bound_violation(x, bound); !v.empty()) fail(*node, key, v);
    value = x;
}

void TomlReader::boolean(std::string_view key, bool& value) {
    const toml::node* node = take(key, "true or false");
    if (!node) return;
    if (!node->is_boolean()) fail(*node, key, "expected true or false, got " + type_name(*node));
    value = node->as_boolean()->get();
}

void TomlReader::text(std::string_view key, std::string& value) {
    const toml::node* node = take(key, "a non-empty string");
    if (!node) return;
    if (!node->is_string()) fail(*node, key, "expected a non-empty string, got " + type_name(*node));
    if (node->as_string()->get().empty()) fail(*node, key, "must not be empty");
    value = node->as_string()->get();
}

void TomlReader::choice(std::string_view key, std::string& value, schema::Names allowed, std::string_view noun) {
    std::vector<std::string> options = strings(allowed);
    std::string expected = "one of: " + join(options);
    const toml::node* node = take(key, expected, false);
    if (!node->is_string()) fail(*node, key, "expected " + expected + ", got " + type_name(*node));
    const std::string& text = node->as_string()->get();
    if (std::find(options.begin(), options.end(), text) == options.end())
        fail(*node, key, unknown_name(noun, text, options));
    value = text;
}

void TomlReader::number_table(std::string_view key, schema::NumberTable& entries, schema::Names allowed,
                              std::string_view noun, Bound bound, bool integral, bool may_be_empty) {
    std::string expected = fmt::format("a table from {} to {}", noun, expected_number(bound, integral));
    const toml::node* node = take(key, expected);
    if (!node) return;
    if (!node->is_table()) fail(*node, key, "expected " + expected + ", got " + type_name(*node));
    const toml::table& table = *node->as_table();
    if (table.empty() && !may_be_empty) fail(*node, key, fmt::format("must name at least one {}", noun));
    std::vector<std::string> options = strings(allowed);
    schema::NumberTable read;
    for (const auto& [entry_key, entry] : table) {
        std::string name(entry_key.str());
        std::string entry_path = path(key) + "." + name;
        if (std::find(options.begin(), options.end(), name) == options.end())
            throw ArchError(at(entry_key.source(), entry_path), unknown_name(noun, name, options));
        std::string entry_expected = expected_number(bound, integral);
        double x = 0;
        if (entry.is_integer()) x = static_cast<double>(entry.as_integer()->get());
        else if (entry.is_floating_point() && !integral) x = entry.as_floating_point()->get();
        else throw ArchError(at(entry.source(), entry_path), "expected " + entry_expected + ", got " + type_name(entry));
        std::string violation = std::isfinite(x) ? bound_violation(x, bound) : fmt::format("must be finite, got {}", x);
        if (!violation.empty()) throw ArchError(at(entry.source(), entry_path), violation);
        read.emplace_back(std::move(name), x);
    }
    entries = std::move(read);
}

void TomlReader::integer_list(std::string_view key, std::vector<std::int64_t>& values, Bound bound, bool may_be_empty) {
    std::string expected = std::string("an array of ") + (bound == Bound::positive ? "positive" : "non-negative") + " integers";
    const toml::node* node = take(key, expected);
    if (!node) return;
    if (!node->is_array()) fail(*node, key, "expected " + expected + ", got " + type_name(*node));
    const toml::array& items = *node->as_array();
    if (items.empty() && !may_be_empty) fail(*node, key, "must hold at least one value");
    std::vector<std::int64_t> read;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const toml::node& item = items[i];
        std::string item_path = fmt::format("{}[{}]", path(key), i);
        if (!item.is_integer())
            throw ArchError(at(item.source(), item_path), "expected " + expected_number(bound, true) + ", got " + type_name(item));
        std::int64_t x = item.as_integer()->get();
        if (auto v = bound_violation(double(x), bound); !v.empty()) throw ArchError(at(item.source(), item_path), v);
        read.push_back(x);
    }
    values = std::move(read);
}

void TomlReader::table(std::string_view key, const std::function<void(schema::FieldVisitor&)>& body) {
    const toml::node* node = take(key, "a table");
    if (!node) return;
    if (!node->is_table()) fail(*node, key, "expected a table, got " + type_name(*node));
    TomlReader child(*node->as_table(), file_, path(key));
    body(child);
    child.finish();
}

void TomlReader::table_list(std::string_view key, std::size_t, const std::function<void(std::size_t)>& resize,
                            const std::function<void(schema::FieldVisitor&, std::size_t)>& element) {
    std::string expected = fmt::format("an array of tables, written [[{}]]", path(key));
    const toml::node* node = take(key, expected);
    if (!node) return;
    if (!node->is_array_of_tables() || node->as_array()->empty())
        fail(*node, key, "expected " + expected + ", got " + type_name(*node));
    const toml::array& items = *node->as_array();
    resize(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        TomlReader child(*items[i].as_table(), file_, fmt::format("{}[{}]", path(key), i));
        element(child, i);
        child.finish();
    }
}

void TomlReader::check(bool ok, std::string_view key, const std::function<std::string()>& message) {
    if (ok || missing_) return; // with a key missing, the values a rule would look at are incomplete
    toml::node_view<const toml::node> node = table_.at_path(key);
    const toml::source_region& where = node ? node.node()->source() : table_.source();
    throw ArchError(at(where, path(key)), message());
}

} // namespace arch
