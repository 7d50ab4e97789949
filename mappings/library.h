// Built-in mapping templates (<data>/mappings/templates/<name>.toml) by name, or a path.
#pragma once
#include <string>
#include <vector>

#include "mappings/mapping.h"

namespace mappings {

std::vector<std::string> template_names(const std::string& data_dir);
Mapping load_named_mapping(const std::string& name_or_path, const std::string& data_dir);

} // namespace mappings
