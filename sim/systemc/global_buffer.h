// The global buffer as a SystemC module: its capacity (checked against what the group keeps in it,
// double-buffered tiles counted twice), and its ports: `banks` banks interleaved so that a tile
// access is striped over all of them, together moving the architecture's bytes per cycle. Accesses
// are granted first come, first served; a unit's tile operation lasts at least as long as the
// buffer takes to serve its operands.
#pragma once
#include <cstdint>

#include <systemc>

namespace sim::systemc {

class GlobalBuffer : public sc_core::sc_module {
public:
    GlobalBuffer(sc_core::sc_module_name name, double bytes_per_cycle, std::int64_t banks, std::int64_t capacity_bytes);
    // Reserves the ports for an access of `bytes` issued at `now`; the tick it completes.
    std::int64_t access(std::int64_t bytes, bool write, std::int64_t now);
    bool fits(std::int64_t bytes) const { return bytes <= capacity_bytes_; }

    std::int64_t busy_ticks() const { return busy_; }
    std::int64_t last_start() const { return last_start_; } // when the last access began to be served
    std::int64_t read_bytes = 0, write_bytes = 0;

private:
    double bank_bytes_per_cycle_;
    std::int64_t banks_, capacity_bytes_;
    std::int64_t free_ = 0, busy_ = 0, last_start_ = 0;
};

} // namespace sim::systemc
