// The 2D PE array or the 1D vector array as a SystemC module: it starts the group's next tile
// operation the state allows (group_state.h), holds it for the operation's cycles — the analytical
// model's cost of one step: spatial folds × inner extent × cycles per point, from the architecture's
// operator table — or longer if the buffer serves its operands more slowly, and records where its
// time went: busy, stalled (by cause), idle.
#pragma once
#include <systemc>

#include "mappings/mapping.h"
#include "sim/systemc/fabric.h"

namespace sim::systemc {

class ArrayUnit : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(ArrayUnit);
    ArrayUnit(sc_core::sc_module_name name, mappings::Unit unit, Fabric& f);

private:
    void run();
    void stall(Cause c);   // blocked from now with cause c
    void unstall();        // no longer blocked

    mappings::Unit unit_;
    Fabric& f_;
    int track_ = 0, stall_track_ = 0;
    Cause stalled_ = Cause::none;
    std::int64_t stalled_since_ = 0;
};

} // namespace sim::systemc
