// SystemC's kernel is one per process: a global simulation context that elaborates once and whose
// time never goes back. A Kernel gives the calling thread a fresh context for one simulation and
// deletes it afterwards, so that one process can simulate many designs — one at a time: a mutex
// serializes Kernels across threads (the SystemC engine is safe to call from several threads, but
// its runs do not overlap). Modules must be created and destroyed inside the Kernel's lifetime.
// Every SystemC process of the engine must return before the Kernel goes: a thread left suspended
// in wait() when its context is deleted never unwinds, and whatever its locals own leaks.
#pragma once
#include <memory>
#include <mutex>

namespace sim::systemc {

class Kernel {
public:
    Kernel();
    ~Kernel();
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;

private:
    std::unique_lock<std::mutex> lock_;
};

} // namespace sim::systemc
