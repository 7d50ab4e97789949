#include <doctest/doctest.h>

#include "arch/load.h"
#include "mappings/library.h"
#include "sim/spatial.h"
#include "workloads/library.h"
#include "workloads/model.h"

using namespace einsum;

namespace {
struct Design {
    Cascade cascade;
    mappings::Mapping mapping;
    arch::Arch arch;
};
Design design(const char* cascade, const char* mapping, const char* arch) {
    const std::string data = workloads::data_dir();
    return {workloads::load_cascade(cascade), mappings::load_named_mapping(mapping, data), arch::load_preset(arch, data)};
}
sim::Result run(const Design& d, long long seq) {
    auto model = workloads::load_model("bert-base");
    return sim::simulate_spatial(d.cascade, workloads::bind_model(model, d.cascade, seq, seq, 1), d.mapping, *d.arch.spatial(), d.arch.name);
}
} // namespace

TEST_CASE("FuseMax's 2D array approaches full use as M grows; FLAT's stays low") {
    Design fusemax = design("fusemax", "fusemax", "cloud-fusemax");
    Design flat = design("attention_3pass", "flat", "cloud-flat");
    double previous = 0;
    for (long long seq : {1024LL, 4096LL, 16384LL, 65536LL}) {
        sim::Result f = run(fusemax, seq), b = run(flat, seq);
        INFO("M = " << seq);
        CHECK(f.utilization("array2d") > previous);
        previous = f.utilization("array2d");
        CHECK(b.utilization("array2d") < 0.1);
        CHECK(f.cycles < b.cycles);
        CHECK(f.energy_pj < b.energy_pj);
        // While its row block still spans the array, FLAT's softmax on the 1D array holds it back.
        if (seq <= 4096) CHECK(b.groups[0].array1d_cycles > 10 * b.groups[0].array2d_cycles);
    }
    CHECK(previous > 0.95);
}

TEST_CASE("FLAT's buffer grows with M while FuseMax's does not") {
    Design fusemax = design("fusemax", "fusemax", "cloud-fusemax");
    Design flat = design("attention_3pass", "flat", "cloud-flat");
    CHECK(run(flat, 4096).buffer_bytes_required > run(flat, 1024).buffer_bytes_required);
    CHECK(run(flat, 4096).buffer_bytes_required > 3 * 4096 * 2 * 64); // three rows of M scores for 64 queries at least
    CHECK(run(fusemax, 65536).buffer_bytes_required == run(fusemax, 1048576).buffer_bytes_required);
    CHECK(run(fusemax, 1048576).buffer_bytes_required <= arch::load_preset("cloud-fusemax", workloads::data_dir()).spatial()->global_buffer.capacity_bytes);
}

TEST_CASE("FuseMax reads K and V once per chunk of P1 x P0 queries") {
    Design fusemax = design("fusemax", "fusemax", "cloud-fusemax");
    sim::SpatialPoint p = sim::prepare_spatial(fusemax.cascade, parse_shape_binding("B=1,H=1,E=64,F=64,M=65536,P=65536"), fusemax.mapping,
                                               *fusemax.arch.spatial());
    std::int64_t chunk = p.mapping.tiles.at("P1").value * p.mapping.tiles.at("P0").value;
    for (const auto& t : p.nest.tensors) {
        if (t.tensor == "K" || t.tensor == "V") CHECK(t.dram_read_bytes == (65536 / chunk) * 65536 * 64 * 2);
        if (t.tensor == "Q") CHECK(t.dram_read_bytes == 65536LL * 64 * 2);
        if (t.tensor == "AV") CHECK(t.dram_write_bytes == 65536LL * 64 * 2);
    }
}
