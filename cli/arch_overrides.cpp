#include "cli/arch_overrides.h"

#include <filesystem>
#include <set>

#include "arch/load.h"
#include "arch/set_value.h"
#include "einsum/input_error.h"
#include "workloads/library.h"

namespace cli {

arch::Arch load_arch_with_overrides(const std::string& name, const std::vector<std::string>& sets) {
    std::error_code ec;
    arch::Arch a = std::filesystem::is_regular_file(name, ec) ? arch::load_arch_file(name) : arch::load_preset(name, workloads::data_dir());
    std::set<std::string> keys;
    for (const auto& kv : sets) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos) throw einsum::InputError({"--set", 0, 0, kv}, "expected KEY=VALUE, got '" + kv + "'");
        const std::string key = kv.substr(0, eq);
        if (!keys.insert(key).second) throw einsum::InputError({"--set", 0, 0, key}, "--set gives " + key + " twice");
        arch::set_value(a, key, std::string_view(kv).substr(eq + 1), "--set");
    }
    return a;
}

} // namespace cli
