// Reading architectures from TOML: from text, from a file, or by preset name from
// <data_dir>/arch/presets/<name>.toml. Every problem raises ArchError at its file:line:column and key.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "arch/arch.h"
#include "arch/arch_error.h"

namespace arch {

// `file_label` is what error messages call the text (usually its path).
Arch parse_arch(std::string_view toml_text, std::string_view file_label);
Arch load_arch_file(const std::filesystem::path& path);

// The folder that holds the presets: <data_dir>/arch/presets.
std::filesystem::path preset_dir(const std::filesystem::path& data_dir);
// Preset names (file stems), sorted; empty when the folder does not exist.
std::vector<std::string> list_presets(const std::filesystem::path& data_dir);
// Loads a preset; its `name` must equal the preset's name. An unknown name is reported at
// `requested_at` when given (e.g. the sweep file key that named it), else at the preset folder.
Arch load_preset(std::string_view name, const std::filesystem::path& data_dir,
                 const ArchLocation& requested_at = {});

} // namespace arch
