// Finds built-in workloads (cascades and model shapes) by name, or takes a path as given.
#pragma once
#include <string>
#include <vector>

#include "einsum/cascade.h"

namespace workloads {

// The folder holding workloads/, arch/presets/ and mappings/: $EINSIM_DATA_DIR, else the source tree.
std::string data_dir();

// "fusemax" -> <data>/workloads/attention/fusemax.toml; an existing path is returned unchanged.
// Throws einsum::InputError listing the known names when neither exists.
std::string cascade_path(const std::string& name_or_path);
std::vector<std::string> cascade_names();

einsum::Cascade load_cascade(const std::string& name_or_path);

} // namespace workloads
