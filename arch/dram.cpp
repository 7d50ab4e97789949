#include "arch/dram.h"

#include "arch/schema.h"

namespace arch {

void describe(schema::FieldVisitor& v, Dram& d) {
    v.number("bandwidth_gb_per_s", d.bandwidth_gb_per_s, schema::Bound::positive);
    v.number("latency_ns", d.latency_ns, schema::Bound::non_negative);
}

} // namespace arch
