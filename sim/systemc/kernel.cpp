#include "sim/systemc/kernel.h"

#include <systemc>

// libsystemc's own main() calls sc_main; einsim has its own main() and never calls it, but the
// shared library still needs the symbol resolved. Defined here so that any program linking the
// engine gets it.
int sc_main(int, char**) { return 0; }

namespace sim::systemc {
namespace {
std::mutex& kernel_mutex() {
    static std::mutex m;
    return m;
}
} // namespace

Kernel::Kernel() : lock_(kernel_mutex()) {
    sc_core::sc_curr_simcontext = new sc_core::sc_simcontext();
    sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
}

Kernel::~Kernel() {
    delete sc_core::sc_curr_simcontext;
    sc_core::sc_curr_simcontext = nullptr;
    sc_core::sc_default_global_context = nullptr;
}

} // namespace sim::systemc
