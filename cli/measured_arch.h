// The GPU architecture that the commands over measured GPU rows (validate, gpu-compare) use.
#pragma once
#include <string>
#include <vector>

#include "arch/arch.h"
#include "cli/gpu_validation.h"

namespace cli {

// --arch (a preset name or a TOML file), else the preset of the first measured row whose gpu column
// names a known GPU; then each --set KEY=VALUE applied. Throws einsum::InputError when no preset
// matches, on a malformed --set, or when the architecture is not a GPU (`command` names who asks).
arch::Arch measured_gpu_arch(const std::string& arch_option, const std::vector<MeasuredRow>& rows, const std::vector<std::string>& sets,
                             const std::string& command);

} // namespace cli
