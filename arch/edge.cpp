#include "arch/edge.h"

#include "arch/schema.h"

namespace arch {

using schema::Bound;

std::string_view name(EdgeDevice device) { return edge_device_names[static_cast<std::size_t>(device)]; }

const EdgeMemoryLevel* EdgeArch::level(std::string_view level_name) const {
    for (const auto& l : memory)
        if (l.name == level_name) return &l;
    return nullptr;
}

void describe(schema::FieldVisitor& v, EdgeCompute& c) {
    v.integer("units", c.units, Bound::positive);
    v.number("int8_macs_per_cycle_per_unit", c.int8_macs_per_cycle_per_unit, Bound::positive);
    v.number("fp16_macs_per_cycle_per_unit", c.fp16_macs_per_cycle_per_unit, Bound::positive);
    v.number("exp_per_cycle_per_unit", c.exp_per_cycle_per_unit, Bound::positive);
}

void describe(schema::FieldVisitor& v, EdgeMemoryLevel& m) {
    v.text("name", m.name);
    v.integer("capacity_bytes", m.capacity_bytes, Bound::positive);
    v.boolean("per_unit", m.per_unit);
    v.number("bandwidth_bytes_per_cycle", m.bandwidth_bytes_per_cycle, Bound::positive);
    v.number("read_pj_per_byte", m.read_pj_per_byte, Bound::non_negative);
    v.number("write_pj_per_byte", m.write_pj_per_byte, Bound::non_negative);
}

void describe(schema::FieldVisitor& v, EdgeSparsity& s) {
    v.integer("block_elements", s.block_elements, Bound::positive);
    v.number("index_bytes_per_kept_block", s.index_bytes_per_kept_block, Bound::non_negative);
    v.number("overhead_cycles_per_kept_element", s.overhead_cycles_per_kept_element, Bound::non_negative);
    v.number("overhead_pj_per_kept_element", s.overhead_pj_per_kept_element, Bound::non_negative);
}

void describe(schema::FieldVisitor& v, EdgeArch& e) {
    schema::enumeration(v, "device", e.device, edge_device_names, "device");
    v.number("clock_mhz", e.clock_mhz, Bound::positive);
    v.number("power_budget_w", e.power_budget_w, Bound::positive);
    schema::sub_table(v, "compute", e.compute);
    schema::list(v, "memory", e.memory);
    schema::sub_table(v, "dram", e.dram);
    schema::sub_table(v, "energy", e.energy);
    schema::sub_table(v, "sparsity", e.sparsity);
    for (std::size_t i = 0; i < e.memory.size(); ++i)
        for (std::size_t j = 0; j < i; ++j) {
            bool unique = e.memory[i].name != e.memory[j].name;
            v.check(unique, "memory[" + std::to_string(i) + "].name", [&] {
                return "level name '" + e.memory[i].name + "' is already used by memory[" + std::to_string(j) + "]";
            });
        }
}

} // namespace arch
