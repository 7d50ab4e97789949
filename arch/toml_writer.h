// Prints a value as TOML through its schema: keys in schema order, scalars before sub-tables, and
// numbers in their shortest form that reads back to the same double.
#pragma once
#include <string>
#include <vector>

#include "arch/schema.h"

namespace arch {

class TomlWriter final : public schema::FieldVisitor {
public:
    // The document; `prefix` is the dotted path of the table being written ("" for the document).
    std::string str(const std::string& prefix = "") const;

    void integer(std::string_view key, std::int64_t& value, schema::Bound bound) override;
    void number(std::string_view key, double& value, schema::Bound bound) override;
    void boolean(std::string_view key, bool& value) override;
    void text(std::string_view key, std::string& value) override;
    void choice(std::string_view key, std::string& value, schema::Names allowed, std::string_view noun) override;
    void number_table(std::string_view key, schema::NumberTable& entries, schema::Names allowed,
                      std::string_view noun, schema::Bound bound, bool integral, bool may_be_empty) override;
    void integer_list(std::string_view key, std::vector<std::int64_t>& values, schema::Bound bound, bool may_be_empty) override;
    void table(std::string_view key, const std::function<void(schema::FieldVisitor&)>& body) override;
    void table_list(std::string_view key, std::size_t size, const std::function<void(std::size_t)>& resize,
                    const std::function<void(schema::FieldVisitor&, std::size_t)>& element) override;
    void check(bool, std::string_view, const std::function<std::string()>&) override {}

private:
    struct Child {
        std::string key;
        bool is_list = false;
        std::vector<TomlWriter> sections;
    };
    std::vector<std::string> lines_;
    std::vector<Child> children_;
};

// Shortest decimal text that reads back as `x`, always with a '.' or an exponent (TOML float syntax).
std::string format_toml_float(double x);
// A TOML basic string, quoted and escaped.
std::string quote_toml_string(std::string_view s);

} // namespace arch
