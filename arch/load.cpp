#include "arch/load.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include "arch/suggest.h"
#include "arch/toml_reader.h"

namespace arch {

namespace {

toml::table parse_document(std::string_view text, const std::string& label) {
    try {
        return toml::parse(text, std::string(label));
    } catch (const toml::parse_error& e) {
        const auto& begin = e.source().begin;
        throw ArchError({label, int(begin.line), int(begin.column), ""}, "TOML syntax: " + std::string(e.description()));
    }
}

Arch read_arch(std::string_view text, const std::string& label, std::optional<std::string_view> expected_name) {
    toml::table doc = parse_document(text, label);
    Arch arch;
    read_document(doc, label, arch);
    if (expected_name && arch.name != *expected_name) {
        const auto& begin = doc.get("name")->source().begin;
        throw ArchError({label, int(begin.line), int(begin.column), "name"},
                        "preset file " + std::string(*expected_name) + ".toml must be named '" +
                            std::string(*expected_name) + "', not '" + arch.name + "'");
    }
    return arch;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in || std::filesystem::is_directory(path)) throw ArchError({path.string(), 0, 0, ""}, "cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool plain_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

} // namespace

Arch parse_arch(std::string_view toml_text, std::string_view file_label) {
    return read_arch(toml_text, std::string(file_label), std::nullopt);
}

Arch load_arch_file(const std::filesystem::path& path) {
    return read_arch(read_file(path), path.string(), std::nullopt);
}

std::filesystem::path preset_dir(const std::filesystem::path& data_dir) { return data_dir / "arch" / "presets"; }

std::vector<std::string> list_presets(const std::filesystem::path& data_dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(preset_dir(data_dir), ec))
        if (entry.is_regular_file() && entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

Arch load_preset(std::string_view name, const std::filesystem::path& data_dir, const ArchLocation& requested_at) {
    std::filesystem::path file = preset_dir(data_dir) / (std::string(name) + ".toml");
    if (!plain_name(name) || !std::filesystem::is_regular_file(file)) {
        std::vector<std::string> known = list_presets(data_dir);
        ArchLocation where = requested_at;
        if (where.file.empty()) where = {preset_dir(data_dir).string(), 0, 0, ""};
        std::string reason = "unknown architecture preset '" + std::string(name) + "'";
        if (auto near = closest_match(name, known)) reason += " (did you mean '" + *near + "'?)";
        if (known.empty()) reason += "; no presets in " + preset_dir(data_dir).string();
        else reason += "; presets: " + join(known);
        throw ArchError(where, reason);
    }
    return read_arch(read_file(file), file.string(), name);
}

} // namespace arch
