#include "cli/measured_arch.h"

#include <filesystem>

#include "arch/load.h"
#include "arch/set_value.h"
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
    std::error_code ec;
    arch::Arch a = std::filesystem::is_regular_file(name, ec) ? arch::load_arch_file(name) : arch::load_preset(name, workloads::data_dir());
    for (const auto& kv : sets) {
        auto eq = kv.find('=');
        if (eq == std::string::npos) throw einsum::InputError({"--set", 0, 0, kv}, "expected KEY=VALUE, got '" + kv + "'");
        arch::set_value(a, kv.substr(0, eq), std::string_view(kv).substr(eq + 1), "--set");
    }
    if (!a.gpu())
        throw einsum::InputError({name, 0, 0, "kind"}, command + " needs a GPU architecture (a100, h100, h200); " + a.name + " is not one");
    return a;
}

} // namespace cli
