#include "arch/toml_writer.h"

#include <cassert>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace arch {

std::string format_toml_float(double x) {
    assert(std::isfinite(x));
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
    assert(ec == std::errc());
    std::string s(buffer, end);
    if (s.find_first_of(".e") == std::string::npos) s += ".0";
    return s;
}

std::string quote_toml_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += fmt::format("\\u{:04X}", int(c));
            else out += c;
        }
    }
    return out + "\"";
}

void TomlWriter::integer(std::string_view key, std::int64_t& value, schema::Bound) {
    lines_.push_back(fmt::format("{} = {}", key, value));
}

void TomlWriter::number(std::string_view key, double& value, schema::Bound) {
    lines_.push_back(fmt::format("{} = {}", key, format_toml_float(value)));
}

void TomlWriter::boolean(std::string_view key, bool& value) {
    lines_.push_back(fmt::format("{} = {}", key, value ? "true" : "false"));
}

void TomlWriter::text(std::string_view key, std::string& value) {
    lines_.push_back(fmt::format("{} = {}", key, quote_toml_string(value)));
}

void TomlWriter::choice(std::string_view key, std::string& value, schema::Names, std::string_view) {
    lines_.push_back(fmt::format("{} = {}", key, quote_toml_string(value)));
}

void TomlWriter::number_table(std::string_view key, schema::NumberTable& entries, schema::Names, std::string_view,
                              schema::Bound, bool integral, bool) {
    std::string items;
    for (const auto& [name, x] : entries) {
        std::string number = integral ? std::to_string(static_cast<std::int64_t>(x)) : format_toml_float(x);
        items += (items.empty() ? " " : ", ") + name + " = " + number;
    }
    lines_.push_back(fmt::format("{} = {{{}}}", key, items.empty() ? "" : items + " "));
}

void TomlWriter::integer_list(std::string_view key, std::vector<std::int64_t>& values, schema::Bound, bool) {
    std::string items;
    for (std::int64_t x : values) items += (items.empty() ? "" : ", ") + std::to_string(x);
    lines_.push_back(fmt::format("{} = [{}]", key, items));
}

void TomlWriter::table(std::string_view key, const std::function<void(schema::FieldVisitor&)>& body) {
    TomlWriter sub;
    body(sub);
    children_.push_back({std::string(key), false, {std::move(sub)}});
}

void TomlWriter::table_list(std::string_view key, std::size_t size, const std::function<void(std::size_t)>&,
                            const std::function<void(schema::FieldVisitor&, std::size_t)>& element) {
    Child child{std::string(key), true, {}};
    for (std::size_t i = 0; i < size; ++i) {
        TomlWriter sub;
        element(sub, i);
        child.sections.push_back(std::move(sub));
    }
    children_.push_back(std::move(child));
}

std::string TomlWriter::str(const std::string& prefix) const {
    std::string out;
    for (const auto& line : lines_) out += line + "\n";
    for (const auto& child : children_) {
        std::string full = prefix.empty() ? child.key : prefix + "." + child.key;
        for (const auto& section : child.sections) {
            out += child.is_list ? "\n[[" + full + "]]\n" : "\n[" + full + "]\n";
            out += section.str(full);
        }
    }
    return out;
}

} // namespace arch
