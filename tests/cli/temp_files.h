// Scratch files of the CLI tests, under the build tree: tests/cli/<dir>/<name>.
#pragma once
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

inline std::string test_temp_path(const std::string& dir, const std::string& name) {
    auto d = std::filesystem::path(EINSIM_BINARY_DIR) / "tests" / "cli" / dir;
    std::filesystem::create_directories(d);
    return (d / name).string();
}

// Writes `text` to tests/cli/<dir>/<name> (binary, so line ends stay as given); returns the path.
inline std::string write_test_file(const std::string& dir, const std::string& name, const std::string& text) {
    std::string p = test_temp_path(dir, name);
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

inline std::string read_test_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}
