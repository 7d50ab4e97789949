// Reads a TOML table into a value through its schema, raising ArchError located at the offending
// key. With the writer, the only code in arch/ that sees toml++ nodes.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "arch/arch_error.h"
#include "arch/schema.h"

namespace arch {

class TomlReader final : public schema::FieldVisitor {
public:
    // `prefix` is the key path of `table` itself ("" for the document).
    TomlReader(const toml::table& table, std::string file, std::string prefix);

    // Call after describe(): reports a key the schema does not know first (most likely a typo of a
    // key that is then reported missing), then the first missing key.
    void finish();

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
    void check(bool ok, std::string_view key, const std::function<std::string()>& message) override;

private:
    // The node under `key`, or nullptr after recording a missing-key error (thrown at once when
    // `defer` is false, e.g. for `kind`, whose value decides which other keys exist).
    const toml::node* take(std::string_view key, const std::string& expected, bool defer = true);
    std::string path(std::string_view key) const;
    ArchLocation at(const toml::source_region& where, const std::string& key_path) const;
    [[noreturn]] void fail(const toml::node& node, std::string_view key, const std::string& reason) const;

    const toml::table& table_;
    std::string file_;
    std::string prefix_;
    std::vector<std::string> known_;
    std::optional<ArchError> missing_;
};

// Reads the whole of `doc` into `value`.
template <class T>
void read_document(const toml::table& doc, const std::string& file, T& value) {
    TomlReader reader(doc, file, "");
    describe(reader, value);
    reader.finish();
}

} // namespace arch
