#include "cli/measured_arch.h"


#include "cli/arch_overrides.h"
#include "einsum/input_error.h"
#include "workloads/library.h"

namespace cli {

arch::Arch measured_gpu_arch(const std::string& arch_option, const std::vector<MeasuredRow>& rows, const std::vector<std::string>& sets,
                             const std::string& command) {
    std::string name = arch_option;
    if (name.empty()) {
        for (const auto& r : rows)
            if (!(name = preset_for_gpu(r.gpu)).empty()) break;
        if (name.empty())
            throw einsum::InputError({"--arch", 0, 0, ""}, "no GPU preset matches the measured rows' gpu column; name one with --arch (a100, h100, h200)");
    }
    arch::Arch a = load_arch_with_overrides(name, sets);
    if (!a.gpu())
        throw einsum::InputError({name, 0, 0, "kind"}, command + " needs a GPU architecture (a100, h100, h200); " + a.name + " is not one");
    return a;
}

} // namespace cli
