// Every preset loads and carries the figures its comments cite (values read from the files).
#include <doctest/doctest.h>

#include <cmath>

#include "arch/load.h"
#include "test_support.h"

using namespace arch;

namespace {
Arch preset(const char* name) { return load_preset(name, arch::test::data_dir()); }
constexpr std::int64_t MiB = 1024 * 1024;
} // namespace

TEST_CASE("the preset folder holds the nine presets") {
    CHECK(list_presets(arch::test::data_dir()) ==
          std::vector<std::string>{"a100", "cloud", "cloud-flat", "cloud-fusemax", "edge-array", "edge-cpu",
                                   "edge-npu", "h100", "h200"});
    for (const auto& name : list_presets(arch::test::data_dir())) {
        CAPTURE(name);
        CHECK(load_preset(name, arch::test::data_dir()).name == name);
    }
}

TEST_CASE("cloud: FLAT's and FuseMax's cloud platform") {
    Arch a = preset("cloud");
    REQUIRE(a.kind() == ArchKind::spatial);
    const SpatialArch& s = *a.spatial();
    CHECK(s.clock_mhz == 940.0);
    CHECK(s.array2d.rows == 256);
    CHECK(s.array2d.cols == 256);
    CHECK(s.array2d.pe_count() == 65536);
    CHECK(s.peak_macs_per_cycle() == 65536.0);
    CHECK(s.element_bytes == 2);
    CHECK(s.global_buffer.capacity_bytes == 32 * MiB);
    CHECK(s.global_buffer.bandwidth_bytes_per_cycle * s.clock_mhz * 1e6 == doctest::Approx(8e12).epsilon(0.05));
    CHECK(s.dram.bandwidth_gb_per_s == 400.0);
    CHECK(s.dram_bandwidth_bytes_per_cycle() == doctest::Approx(400e9 / 940e6));
    CHECK(s.array1d.lanes == 256);
    CHECK(s.energy.mac_pj == 1.5);
    CHECK(s.energy.dram_read_pj_per_byte == 31.2);
}

TEST_CASE("cloud-flat: MAC-only PEs and a 256-lane special-function array") {
    const Arch a = preset("cloud-flat");
    const SpatialArch& s = *a.spatial();
    CHECK(s.array2d.pe_count() == 65536);
    CHECK(s.array2d.operators().empty());
    for (Op op : {Op::exp, Op::max, Op::add, Op::div}) CHECK(s.array1d.supports(op));
    CHECK(s.array1d.lanes == 256);
    CHECK(s.global_buffer.capacity_bytes == 32 * MiB);
    CHECK(s.area_mm2() == doctest::Approx(preset("cloud").spatial()->area_mm2()));
}

TEST_CASE("cloud-fusemax: PEs with exp and max, iso-area with cloud-flat") {
    const SpatialArch fm = *preset("cloud-fusemax").spatial();
    const SpatialArch flat = *preset("cloud-flat").spatial();
    CHECK(fm.array2d.supports(Op::exp));
    CHECK(fm.array2d.supports(Op::max));
    CHECK(fm.array2d.pe_count() == flat.array2d.pe_count());
    CHECK(fm.array1d.lanes == 256);
    CHECK(fm.clock_mhz == flat.clock_mhz);
    CHECK(fm.dram == flat.dram);
    CHECK(fm.area.pe_mm2 > flat.area.pe_mm2);                                  // the extra PE logic...
    CHECK(fm.global_buffer.capacity_bytes < flat.global_buffer.capacity_bytes); // ...paid for by buffer
    CHECK(std::abs(fm.area_mm2() - flat.area_mm2()) / flat.area_mm2() < 0.005);
    CHECK(fm.area_mm2() <= flat.area_mm2());
}

TEST_CASE("edge-array: FLAT's edge accelerator") {
    const Arch a = preset("edge-array");
    const SpatialArch& s = *a.spatial();
    CHECK(s.array2d.rows == 32);
    CHECK(s.array2d.cols == 32);
    CHECK(s.clock_mhz == 1000.0);
    CHECK(s.global_buffer.capacity_bytes == 512 * 1024);
    CHECK(s.dram.bandwidth_gb_per_s >= 25.0);
    CHECK(s.dram.bandwidth_gb_per_s <= 50.0);
    CHECK(s.dram_bandwidth_bytes_per_cycle() == doctest::Approx(50.0));
}

TEST_CASE("h100: datasheet figures and the measured copy bandwidth, both kept") {
    Arch a = preset("h100");
    REQUIRE(a.kind() == ArchKind::gpu);
    const GpuArch& g = *a.gpu();
    CHECK(g.sm_count == 132);
    CHECK(g.boost_clock_mhz == 1980.0);
    CHECK(g.sm.tensor_flops_per_cycle.at(DType::fp16) == 4096.0);
    CHECK(g.sm.tensor_flops_per_cycle.at(DType::fp8) == 8192.0);
    CHECK(*g.peak_tensor_flops_per_s(DType::fp16) == doctest::Approx(989.4e12).epsilon(0.001));
    CHECK(*g.peak_tensor_flops_per_s(DType::fp8) == doctest::Approx(1978.9e12).epsilon(0.001));
    CHECK(g.sm.fp32_flops_per_cycle * g.sm_count * g.boost_clock_mhz * 1e6 == doctest::Approx(66.9e12).epsilon(0.001));
    CHECK(g.sm.sfu_exp_per_cycle == 16.0);
    CHECK(g.sm.shared_memory_bytes == 228 * 1024);
    CHECK(g.sm.shared_memory_bytes_per_block == 227 * 1024);
    CHECK(g.sm.registers_32bit == 65536);
    CHECK(g.sm.max_ctas == 32);
    CHECK(g.sm.max_threads == 2048);
    CHECK(g.l2.capacity_bytes == 50 * MiB);
    CHECK(g.hbm.datasheet_bandwidth_gb_per_s == 3350.0);
    CHECK(g.hbm.copy_bandwidth_gb_per_s == 3000.0);
    CHECK(g.hbm.copy_bandwidth_measured);
    CHECK(!g.overheads.measured);
    CHECK(g.overheads.launch_latency_us > 0);
}

TEST_CASE("h200: H100's SMs with more and faster HBM") {
    const GpuArch h200 = *preset("h200").gpu();
    const GpuArch h100 = *preset("h100").gpu();
    // The same SM; only the measured mma.sync rates differ (by under 1%).
    arch::GpuSm same = h100.sm;
    same.mma_sync_tflops = h200.sm.mma_sync_tflops;
    CHECK(h200.sm == same);
    CHECK(h200.sm.mma_sync_measured);
    CHECK(h200.sm.mma_sync_tflops.at(DType::fp16) == doctest::Approx(h100.sm.mma_sync_tflops.at(DType::fp16)).epsilon(0.01));
    // mma.sync reaches about 63% of the dense peak, which needs wgmma.
    CHECK(h200.sm.mma_sync_tflops.at(DType::fp16) * 1e12 < 0.7 * *h200.peak_tensor_flops_per_s(DType::fp16));
    CHECK(h200.sm_count == 132);
    CHECK(h200.hbm.datasheet_bandwidth_gb_per_s == 4800.0);
    CHECK(h200.hbm.capacity_bytes > h100.hbm.capacity_bytes);
    // Copy bandwidth measured on the lent H200 (validation/h200-2026-11-30/micro*.csv): above the
    // H100's, below the datasheet figure.
    CHECK(h200.hbm.copy_bandwidth_measured);
    CHECK(h200.hbm.copy_bandwidth_gb_per_s > h100.hbm.copy_bandwidth_gb_per_s);
    CHECK(h200.hbm.copy_bandwidth_gb_per_s < h200.hbm.datasheet_bandwidth_gb_per_s);
}

TEST_CASE("a100: no FP8, 312 dense FP16 TFLOPS") {
    const GpuArch g = *preset("a100").gpu();
    CHECK(g.sm_count == 108);
    CHECK(g.boost_clock_mhz == 1410.0);
    CHECK(!g.supports(DType::fp8));
    CHECK(!g.peak_tensor_flops_per_s(DType::fp8));
    CHECK(*g.peak_tensor_flops_per_s(DType::fp16) == doctest::Approx(312e12).epsilon(0.001));
    CHECK(g.sm.shared_memory_bytes == 164 * 1024);
    CHECK(g.l2.capacity_bytes == 40 * MiB);
    CHECK(g.l2_bandwidth_bytes_per_s() == doctest::Approx(5120 * 1410e6));
    CHECK(g.hbm.datasheet_bandwidth_gb_per_s == 2039.0);
}

TEST_CASE("edge-npu: Jetson-AGX-Orin-class") {
    Arch a = preset("edge-npu");
    REQUIRE(a.kind() == ArchKind::edge);
    const EdgeArch& e = *a.edge();
    CHECK(e.device == EdgeDevice::npu);
    CHECK(e.dram.bandwidth_gb_per_s == 204.8);
    // 85 dense INT8 TOPS at 1.3 GHz
    CHECK(e.peak_int8_macs_per_cycle() * 2 * e.clock_mhz * 1e6 == doctest::Approx(85e12).epsilon(0.01));
    CHECK(e.peak_fp16_macs_per_cycle() == e.peak_int8_macs_per_cycle() / 2);
    CHECK(e.power_budget_w == 60.0);
    REQUIRE(e.level("l1") != nullptr);
    CHECK(e.level("l1")->per_unit);
    CHECK(e.level("l2")->capacity_bytes == 4 * MiB);
    CHECK(e.level("l3") == nullptr);
    CHECK(e.sparsity.block_elements == 16);
    CHECK(e.energy.int8_mac_pj < e.energy.fp16_mac_pj);
}

TEST_CASE("edge-cpu: Raspberry-Pi-5-class") {
    const EdgeArch e = *preset("edge-cpu").edge();
    CHECK(e.device == EdgeDevice::cpu);
    CHECK(e.compute.units == 4);
    CHECK(e.clock_mhz == 2400.0);
    CHECK(e.compute.int8_macs_per_cycle_per_unit == 32.0);
    CHECK(e.dram.bandwidth_gb_per_s == doctest::Approx(4267e6 * 4 / 1e9).epsilon(0.001));
    REQUIRE(e.memory.size() == 3);
    CHECK(e.memory[0].name == "l1d");
    CHECK(e.memory[2].capacity_bytes == 2 * MiB);
    CHECK(!e.memory[2].per_unit);
    CHECK(e.sparsity.overhead_cycles_per_kept_element > 0);
    CHECK(e.sparsity.block_elements == 8);
}
