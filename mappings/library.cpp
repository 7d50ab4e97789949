#include "mappings/library.h"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace mappings {

std::vector<std::string> template_names(const std::string& data_dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(fs::path(data_dir) / "mappings" / "templates", ec))
        if (e.path().extension() == ".toml") names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

Mapping load_named_mapping(const std::string& name, const std::string& data_dir) {
    std::error_code ec;
    if (fs::is_regular_file(name, ec)) return load_mapping(name);
    fs::path p = fs::path(data_dir) / "mappings" / "templates" / (name + ".toml");
    if (fs::is_regular_file(p, ec)) return load_mapping(p.string());
    std::string known;
    for (const auto& n : template_names(data_dir)) known += (known.empty() ? "" : ", ") + n;
    throw einsum::InputError({name, 0, 0, ""}, "no such mapping file or built-in mapping template (built-in: " + known + ")");
}

} // namespace mappings
