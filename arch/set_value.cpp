#include "arch/set_value.h"

#include <string>
#include <vector>

#include <fmt/format.h>

#include "arch/print.h"
#include "arch/toml_reader.h"

namespace arch {

namespace {

struct Segment {
    std::string key;
    std::optional<std::size_t> index; // for arrays of tables: memory[1]
};

[[noreturn]] void fail(std::string_view origin, std::string_view key_path, const std::string& reason) {
    throw ArchError({std::string(origin), 0, 0, std::string(key_path)}, reason);
}

std::vector<Segment> split(std::string_view key_path, std::string_view origin) {
    std::vector<Segment> segments;
    std::size_t start = 0;
    while (true) {
        std::size_t dot = key_path.find('.', start);
        std::string_view part = key_path.substr(start, dot == std::string_view::npos ? dot : dot - start);
        Segment segment;
        std::size_t bracket = part.find('[');
        segment.key = std::string(part.substr(0, bracket));
        if (bracket != std::string_view::npos) {
            std::string_view digits = part.substr(bracket + 1);
            if (digits.size() < 2 || digits.back() != ']') fail(origin, key_path, "malformed key path");
            digits.remove_suffix(1);
            std::size_t index = 0;
            for (char c : digits) {
                if (c < '0' || c > '9') fail(origin, key_path, "malformed key path");
                index = index * 10 + std::size_t(c - '0');
            }
            segment.index = index;
        }
        if (segment.key.empty()) fail(origin, key_path, "malformed key path");
        segments.push_back(std::move(segment));
        if (dot == std::string_view::npos) return segments;
        start = dot + 1;
    }
}

// Puts `value` at `key_path` in `doc`, creating missing tables on the way so that the reader can
// report the first unknown key with a suggestion.
void place(toml::table& doc, std::string_view key_path, toml::node&& value, std::string_view origin) {
    std::vector<Segment> segments = split(key_path, origin);
    toml::table* current = &doc;
    std::string walked;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const Segment& s = segments[i];
        walked += (walked.empty() ? "" : ".") + s.key;
        bool last = i + 1 == segments.size();
        if (last && !s.index) {
            std::move(value).visit([&](auto&& v) { current->insert_or_assign(s.key, std::move(v)); });
            return;
        }
        toml::node* node = current->get(s.key);
        if (!node) node = &current->insert(s.key, toml::table{}).first->second;
        if (s.index) {
            toml::array* items = node->as_array();
            if (!items) fail(origin, walked, "is not an array, so it cannot be indexed");
            if (*s.index >= items->size())
                fail(origin, fmt::format("{}[{}]", walked, *s.index),
                     fmt::format("index out of range ({} has {} entries)", walked, items->size()));
            walked += fmt::format("[{}]", *s.index);
            if (last) {
                std::move(value).visit([&](auto&& v) { items->replace(items->cbegin() + long(*s.index), std::move(v)); });
                return;
            }
            node = items->get(*s.index);
        }
        current = node->as_table();
        if (!current) fail(origin, walked, "is a value, not a table, so it has no key '" + segments[i + 1].key + "'");
    }
}

// Prints `arch`, lets `edit` change the printed document, and reads it back with full validation.
void apply(Arch& arch, const std::function<void(toml::table&)>& edit, std::string_view origin) {
    toml::table doc = toml::parse(to_toml(arch));
    edit(doc);
    Arch changed;
    try {
        read_document(doc, std::string(origin), changed);
    } catch (const ArchError& e) {
        // Lines and columns would point into a printed copy; keep the key path and the reason.
        fail(origin, e.where().key_path, e.reason());
    }
    arch = std::move(changed);
}

void set_node(Arch& arch, std::string_view key_path, toml::node&& value, std::string_view origin) {
    apply(arch, [&](toml::table& doc) { place(doc, key_path, std::move(value), origin); }, origin);
}

// A document holding the one value, under the key "value".
toml::table parse_value(std::string_view key_path, std::string_view toml_value, std::string_view origin) {
    toml::table parsed;
    try {
        parsed = toml::parse("value = " + std::string(toml_value));
    } catch (const toml::parse_error& e) {
        fail(origin, key_path, fmt::format("'{}' is not a TOML value ({})", toml_value, e.description()));
    }
    if (parsed.size() != 1) fail(origin, key_path, fmt::format("'{}' is not a single TOML value", toml_value));
    return parsed;
}

} // namespace

void set_value(Arch& arch, std::string_view key_path, std::string_view toml_value, std::string_view origin) {
    toml::table parsed = parse_value(key_path, toml_value, origin);
    set_node(arch, key_path, std::move(*parsed.get("value")), origin);
}

void set_values(Arch& arch, const std::vector<std::pair<std::string, std::string>>& assignments,
                std::string_view origin) {
    std::vector<toml::table> values;
    for (const auto& [key_path, text] : assignments) values.push_back(parse_value(key_path, text, origin));
    apply(
        arch,
        [&](toml::table& doc) {
            for (std::size_t i = 0; i < assignments.size(); ++i)
                place(doc, assignments[i].first, std::move(*values[i].get("value")), origin);
        },
        origin);
}

void set_value(Arch& arch, std::string_view key_path, double value, std::string_view origin) {
    set_node(arch, key_path, toml::value<double>(value), origin);
}

void detail::set_integer(Arch& arch, std::string_view key_path, std::int64_t value, std::string_view origin) {
    set_node(arch, key_path, toml::value<std::int64_t>(value), origin);
}

void detail::set_boolean(Arch& arch, std::string_view key_path, bool value, std::string_view origin) {
    set_node(arch, key_path, toml::value<bool>(value), origin);
}

} // namespace arch
