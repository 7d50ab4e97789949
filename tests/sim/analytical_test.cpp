#include <doctest/doctest.h>

#include "mappings/legality.h"
#include "sim/analytical/model.h"
#include "sim/spatial.h"
#include "tiny_arch.h"
#include "workloads/library.h"

using namespace einsum;

// K = M = N = 8 on a 4x4 array, tiles of 4x4 outputs, loops m1 (outer), n1 (inner):
//  - MACs: 8*8*8 = 512; steps: 2*2 = 4; each step 8 cycles (k in time): 32 cycles on the array.
//  - DRAM: A[k,m] is indexed by m1 only, so it is fetched once (8*8*2 = 128 B); B[k,n] is indexed
//    by n1, inside m1, so it is fetched at every step (4 tiles of 8x4, 256 B); Z is written once
//    (128 B). 512 B at 1 B/cycle, and the last step (8 cycles) can only follow the last B tile.
TEST_CASE("a GEMM on a 4x4 array: MACs, cycles and bytes per level by hand") {
    Cascade c = workloads::load_cascade("gemm");
    arch::SpatialArch a = tiny_array();
    mappings::Mapping m = mappings::parse_mapping(tiny_gemm_mapping, "gemm-os.toml");
    sim::Result r = sim::simulate_spatial(c, parse_shape_binding("K=8,M=8,N=8"), m, a, "tiny");
    CHECK(r.macs == 512);
    REQUIRE(r.groups.size() == 1);
    CHECK(r.groups[0].array2d_cycles == doctest::Approx(32));
    CHECK(r.groups[0].dram_cycles == doctest::Approx(512));
    CHECK(r.groups[0].bound == "dram");
    CHECK(r.cycles == doctest::Approx(512 + 8)); // double-buffered, DRAM-bound: every byte, then the last step
    CHECK(r.traffic[0].level == "dram");
    CHECK(r.traffic[0].read_bytes == 128 + 256);
    CHECK(r.traffic[0].write_bytes == 128);
    // Buffer: fills (384 B written) plus the array's reads of the same tiles (A 128, B 256); Z written
    // by the array (128 B) and read back for DRAM (128 B).
    CHECK(r.traffic[1].read_bytes == 128 + 256 + 128);
    CHECK(r.traffic[1].write_bytes == 128 + 256 + 128);
    // Tiles in the buffer: A 8x4, B 8x4, Z 4x4, double-buffered, 2 bytes each: (32+32+16)*2*2.
    CHECK(r.buffer_bytes_required == 320);
    // Utilization: 512 MACs on 16 PEs over 520 cycles.
    CHECK(r.utilization("array2d") == doctest::Approx(512.0 / (16 * 520)));
    // Energy: MACs 512 pJ; DRAM 384*10 + 128*20; buffer 512*2 + 512*3; RF 512*(2 reads + 1 write)*2 B*0.5.
    CHECK(r.energy_of("array2d") == doctest::Approx(512));
    CHECK(r.energy_of("dram") == doctest::Approx(384 * 10 + 128 * 20));
    CHECK(r.energy_of("global_buffer") == doctest::Approx(512 * 2 + 512 * 3));
    CHECK(r.energy_of("rf") == doctest::Approx(512 * 3 * 2 * 0.5));
}

TEST_CASE("a faster DRAM makes the same GEMM compute-bound") {
    Cascade c = workloads::load_cascade("gemm");
    arch::SpatialArch a = tiny_array();
    a.dram.bandwidth_gb_per_s = 1000; // 1000 B/cycle at 1 GHz
    mappings::Mapping m = mappings::parse_mapping(tiny_gemm_mapping, "gemm-os.toml");
    sim::Result r = sim::simulate_spatial(c, parse_shape_binding("K=8,M=8,N=8"), m, a, "tiny");
    CHECK(r.groups[0].bound == "array2d");
    // 32 cycles of steps, after the first A and B tiles arrive (64 + 64 B at 1000 B/cycle) and
    // before the last Z tile leaves (32 B); no latency on this DRAM.
    CHECK(r.cycles == doctest::Approx(32 + 0.128 + 0.032));
    CHECK(r.utilization("array2d") == doctest::Approx(32 / (32 + 0.16)));
}

TEST_CASE("DRAM latency with two tiles in flight: the turnaround of each B tile paces the same GEMM") {
    Cascade c = workloads::load_cascade("gemm");
    arch::SpatialArch a = tiny_array();
    a.dram.bandwidth_gb_per_s = 1000; // 1000 B/cycle at 1 GHz
    a.dram.latency_ns = 100;          // 100 cycles
    mappings::Mapping m = mappings::parse_mapping(tiny_gemm_mapping, "gemm-os.toml");
    sim::Result r = sim::simulate_spatial(c, parse_shape_binding("K=8,M=8,N=8"), m, a, "tiny");
    // B comes in 4 tiles of 64 B, two at a time: a slot is free again only when its step is done, so
    // every pair of tiles takes 2 steps (16 cycles), 2 transfers (0.128) and 2 latencies (200):
    // (32 + 0.256 + 400) / 2 = 216.128; then the last Z tile (32 B) leaves: 0.032 + 100.
    CHECK(r.cycles == doctest::Approx(216.128 + 100.032));
    // Without the latency it is compute-bound again (the case above).
    a.dram.latency_ns = 0;
    CHECK(sim::simulate_spatial(c, parse_shape_binding("K=8,M=8,N=8"), m, a, "tiny").cycles == doctest::Approx(32.16));
}

TEST_CASE("spatial folding: 6x6 outputs on a 4x4 array take 4 folds of partly idle PEs") {
    Cascade c = workloads::load_cascade("gemm");
    arch::SpatialArch a = tiny_array();
    a.dram.bandwidth_gb_per_s = 1000;
    std::string text = tiny_gemm_mapping;
    text.replace(text.find("M0 = 4"), 6, "M0 = 6");
    text.replace(text.find("N0 = 4"), 6, "N0 = 6");
    mappings::Mapping m = mappings::parse_mapping(text, "fold.toml");
    sim::Result r = sim::simulate_spatial(c, parse_shape_binding("K=3,M=6,N=6"), m, a, "tiny");
    // One step (M1 = N1 = 1), ceil(6/4)^2 = 4 folds, 3 cycles each.
    CHECK(r.einsums[0].cycles == doctest::Approx(12));
    CHECK(r.einsums[0].spatial_utilization == doctest::Approx(36.0 / 64.0));
}

TEST_CASE("capacity violations name the level, the tensor and the excess") {
    Cascade c = workloads::load_cascade("gemm");
    arch::SpatialArch a = tiny_array(300);
    mappings::Mapping m = mappings::parse_mapping(tiny_gemm_mapping, "gemm-os.toml");
    try {
        sim::simulate_spatial(c, parse_shape_binding("K=8,M=8,N=8"), m, a, "tiny");
        FAIL("expected an illegal mapping");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("capacity exceeded at level global_buffer by tensor A by 20 bytes") != std::string::npos);
        CHECK(e.where().file == "gemm-os.toml");
        CHECK(e.where().key_path == "group[0]");
        CHECK(e.where().line == 12);
    }
}

TEST_CASE("a unit lacking an operator is rejected") {
    Cascade c = workloads::load_cascade("attention_3pass");
    arch::SpatialArch a = tiny_array();
    a.array2d.cycles_per_op.erase(arch::Op::exp);
    a.energy.array2d_op_pj.erase(arch::Op::exp);
    std::string text = R"(name = "bad"
cascade = "attention_3pass"
[[group]]
name = "all"
einsums = ["QK", "GM", "SN", "SD", "A", "AV"]
[einsum.QK]
unit = "array2d"
[einsum.GM]
unit = "array1d"
[einsum.SN]
unit = "array2d"
[einsum.SD]
unit = "array1d"
[einsum.A]
unit = "array1d"
[einsum.AV]
unit = "array2d"
)";
    mappings::Mapping m = mappings::parse_mapping(text, "bad.toml");
    CHECK_THROWS_WITH_AS(sim::simulate_spatial(c, parse_shape_binding("M=4,P=4,E=2,F=2"), m, a, "tiny"),
                         doctest::Contains("unit array2d lacks operator 'exp' needed by SN"), InputError);
}
