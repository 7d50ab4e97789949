#include "workloads/library.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "einsum/cascade_toml.h"

namespace fs = std::filesystem;

namespace workloads {

std::string data_dir() {
    if (const char* env = std::getenv("EINSIM_DATA_DIR"); env && *env) return env;
    return EINSIM_DEFAULT_DATA_DIR;
}

std::vector<std::string> cascade_names() {
    std::vector<std::string> names;
    fs::path dir = fs::path(data_dir()) / "workloads" / "attention";
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string cascade_path(const std::string& name) {
    std::error_code ec;
    if (fs::is_regular_file(name, ec)) return name;
    fs::path builtin = fs::path(data_dir()) / "workloads" / "attention" / (name + ".toml");
    if (fs::is_regular_file(builtin, ec)) return builtin.string();
    std::string known;
    for (const auto& n : cascade_names()) known += (known.empty() ? "" : ", ") + n;
    throw einsum::InputError({name, 0, 0, ""}, "no such cascade file or built-in cascade (built-in: " + known + ")");
}

einsum::Cascade load_cascade(const std::string& name) { return einsum::load_cascade(cascade_path(name)); }

} // namespace workloads
