#include "sim/systemc/global_buffer.h"

#include <algorithm>

#include "sim/systemc/ticks.h"

namespace sim::systemc {

GlobalBuffer::GlobalBuffer(sc_core::sc_module_name name, double bytes_per_cycle, std::int64_t banks, std::int64_t capacity_bytes)
    : sc_core::sc_module(name), banks_(std::max<std::int64_t>(1, banks)), capacity_bytes_(capacity_bytes) {
    bank_bytes_per_cycle_ = bytes_per_cycle / static_cast<double>(banks_);
}

std::int64_t GlobalBuffer::access(std::int64_t bytes, bool write, std::int64_t now) {
    (write ? write_bytes : read_bytes) += bytes;
    last_start_ = now;
    if (bytes <= 0) return now;
    // Striped over every bank: the banks work in parallel, each on its share.
    const double per_bank = static_cast<double>(bytes) / static_cast<double>(banks_);
    const std::int64_t span = std::max<std::int64_t>(1, to_ticks(per_bank / bank_bytes_per_cycle_));
    const std::int64_t start = std::max(now, free_);
    last_start_ = start;
    free_ = start + span;
    busy_ += span;
    return free_;
}

} // namespace sim::systemc
