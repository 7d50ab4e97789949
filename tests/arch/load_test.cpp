// Every kind of malformed description raises ArchError at the exact file:line:column and key path.
#include <doctest/doctest.h>

#include <fstream>

#include "arch/load.h"
#include "test_support.h"

using namespace arch;
using arch::test::error_of;
using arch::test::replaced;

namespace {

const std::string spatial_doc(arch::test::small_spatial);
const std::string gpu_doc(arch::test::small_gpu);
const std::string edge_doc(arch::test::small_edge);

std::string parse_error(const std::string& doc) {
    return error_of([&] { parse_arch(doc, "t.toml"); });
}

} // namespace

TEST_CASE("the small test documents are valid") {
    CHECK(parse_arch(spatial_doc, "t.toml").kind() == ArchKind::spatial);
    CHECK(parse_arch(gpu_doc, "t.toml").kind() == ArchKind::gpu);
    CHECK(parse_arch(edge_doc, "t.toml").kind() == ArchKind::edge);
}

TEST_CASE("negative, zero and non-finite values are rejected where they are written") {
    CHECK(parse_error(replaced(spatial_doc, "rows = 4", "rows = -4")) ==
          "t.toml:7:8: array2d.rows: must be > 0, got -4");
    CHECK(parse_error(replaced(spatial_doc, "bandwidth_gb_per_s = 8", "bandwidth_gb_per_s = 0")) ==
          "t.toml:24:22: dram.bandwidth_gb_per_s: must be > 0, got 0");
    CHECK(parse_error(replaced(spatial_doc, "bandwidth_bytes_per_cycle = 16", "bandwidth_bytes_per_cycle = -2.5")) ==
          "t.toml:20:29: global_buffer.bandwidth_bytes_per_cycle: must be > 0, got -2.5");
    CHECK(parse_error(replaced(spatial_doc, "mac_pj = 1", "mac_pj = -1")) ==
          "t.toml:33:10: energy.mac_pj: must be >= 0, got -1");
    CHECK(parse_error(replaced(spatial_doc, "clock_mhz = 1000", "clock_mhz = nan")) ==
          "t.toml:3:13: clock_mhz: must be a finite number, got nan");
    CHECK(parse_error(replaced(spatial_doc, "exp = 2, add = 1", "exp = 0, add = 1")) ==
          "t.toml:16:25: array1d.cycles_per_op.exp: must be > 0, got 0");
    // Magnitudes no hardware figure takes, which would overflow the models' counts.
    CHECK(parse_error(replaced(spatial_doc, "bandwidth_gb_per_s = 8", "bandwidth_gb_per_s = 1e-300")) ==
          "t.toml:24:22: dram.bandwidth_gb_per_s: 1e-300 is outside the magnitudes einsim computes with (1e-09 to 1e+15)");
    CHECK(parse_error(replaced(spatial_doc, "clock_mhz = 1000", "clock_mhz = 1e300")) ==
          "t.toml:3:13: clock_mhz: 1e+300 is outside the magnitudes einsim computes with (1e-09 to 1e+15)");
    CHECK(parse_error(replaced(spatial_doc, "exp = 2, add = 1", "exp = 9000000000000000000, add = 1")).find("array1d.cycles_per_op.exp: 9e+18 is outside") !=
          std::string::npos);
}

TEST_CASE("mistyped values are rejected with what was expected") {
    CHECK(parse_error(replaced(spatial_doc, "rows = 4", "rows = \"4\"")) ==
          "t.toml:7:8: array2d.rows: expected a positive integer, got a string");
    CHECK(parse_error(replaced(spatial_doc, "rows = 4", "rows = 4.0")) ==
          "t.toml:7:8: array2d.rows: expected a positive integer, got a float");
    CHECK(parse_error(replaced(spatial_doc, "pe_mm2 = 0.01", "pe_mm2 = true")) ==
          "t.toml:28:10: area.pe_mm2: expected a positive number, got a boolean");
    CHECK(parse_error(replaced(spatial_doc, "{ exp = 2, add = 1 }", "3")) ==
          "t.toml:16:17: array1d.cycles_per_op: expected a table from operator to a positive integer, got an integer");
    CHECK(parse_error(replaced(spatial_doc, "exp = 2, add = 1", "exp = 2.5, add = 1")) ==
          "t.toml:16:25: array1d.cycles_per_op.exp: expected a positive integer, got a float");
    CHECK(parse_error(replaced(gpu_doc, "bandwidth_measured = false", "bandwidth_measured = 0")) ==
          "t.toml:27:22: l2.bandwidth_measured: expected true or false, got an integer");
    CHECK(parse_error(replaced(spatial_doc, "name = \"t\"", "name = 3")) ==
          "t.toml:1:8: name: expected a non-empty string, got an integer");
    CHECK(parse_error(replaced(edge_doc, "[[memory]]\nname = \"l1\"", "[[memory]]\nname = \"\"")) ==
          "t.toml:14:8: memory[0].name: must not be empty");
}

TEST_CASE("missing keys are reported at the table that should hold them") {
    CHECK(parse_error(replaced(spatial_doc, "cols = 4\n", "")) ==
          "t.toml:6:1: array2d.cols: required key is missing (expected a positive integer)");
    CHECK(parse_error(replaced(spatial_doc, "clock_mhz = 1000\n", "")) ==
          "t.toml:1:1: clock_mhz: required key is missing (expected a positive number)");
    CHECK(parse_error(replaced(spatial_doc, "[dram]\nbandwidth_gb_per_s = 8\nlatency_ns = 50\n", "")) ==
          "t.toml:1:1: dram: required key is missing (expected a table)");
    CHECK(parse_error(replaced(spatial_doc, "kind = \"spatial\"\n", "")) ==
          "t.toml:1:1: kind: required key is missing (expected one of: spatial, gpu, edge)");
    CHECK(parse_error(replaced(edge_doc, "overhead_pj_per_kept_element = 70\n", "")) ==
          "t.toml:41:1: sparsity.overhead_pj_per_kept_element: required key is missing (expected a non-negative number)");
    CHECK(parse_error(replaced(gpu_doc, "\nmeasured = false\n", "\n")) ==
          "t.toml:37:1: overheads.measured: required key is missing (expected true or false)");
}

TEST_CASE("unknown keys are rejected, with a suggestion for a likely typo") {
    CHECK(parse_error(replaced(spatial_doc, "rows = 4", "rowz = 4")) ==
          "t.toml:7:1: array2d.rowz: unknown key (did you mean 'rows'?)");
    CHECK(parse_error(replaced(spatial_doc, "clock_mhz = 1000", "clock_mhz = 1000\nclock_ghz = 1")) ==
          "t.toml:4:1: clock_ghz: unknown key (did you mean 'clock_mhz'?)");
    CHECK(parse_error(replaced(spatial_doc, "banks = 2", "banks = 2\ncolour = \"red\"")) ==
          "t.toml:22:1: global_buffer.colour: unknown key (expected one of: capacity_bytes, "
          "bandwidth_bytes_per_cycle, banks)");
    // A table of another family is an unknown key too.
    CHECK(parse_error(spatial_doc + "\n[sm]\nmax_ctas = 4\n") ==
          "t.toml:46:2: sm: unknown key (expected one of: name, kind, clock_mhz, element_bytes, array2d, "
          "array1d, global_buffer, dram, area, energy)");
}

TEST_CASE("unknown operator, number format, kind and device names are rejected") {
    CHECK(parse_error(replaced(spatial_doc, "exp = 2, add = 1", "expp = 2, add = 1")) ==
          "t.toml:16:19: array1d.cycles_per_op.expp: unknown operator 'expp' (did you mean 'exp'?)");
    CHECK(parse_error(replaced(spatial_doc, "{ max = 1 }", "{ sqrt = 1 }")) ==
          "t.toml:11:19: array2d.cycles_per_op.sqrt: unknown operator 'sqrt' (expected one of: add, sub, mul, "
          "div, max, min, neg, exp, threshold, select)");
    CHECK(parse_error(replaced(gpu_doc, "fp16 = 1024", "fpl6 = 1024")) ==
          "t.toml:9:28: sm.tensor_flops_per_cycle.fpl6: unknown number format 'fpl6' (did you mean 'fp16'?)");
    CHECK(parse_error(replaced(spatial_doc, "kind = \"spatial\"", "kind = \"fpga\"")) ==
          "t.toml:2:8: kind: unknown kind 'fpga' (expected one of: spatial, gpu, edge)");
    CHECK(parse_error(replaced(edge_doc, "device = \"cpu\"", "device = \"npuu\"")) ==
          "t.toml:3:10: device: unknown device 'npuu' (did you mean 'npu'?)");
}

TEST_CASE("nonsensical combinations are rejected at the key that breaks the rule") {
    CHECK(parse_error(replaced(spatial_doc, "array2d_op_pj = { max = 0.5 }", "array2d_op_pj = {}")) ==
          "t.toml:34:17: energy.array2d_op_pj: no energy for operator 'max', which array2d supports");
    CHECK(parse_error(replaced(spatial_doc, "{ exp = 4, add = 0.5 }", "{ exp = 4, add = 0.5, div = 3 }")) ==
          "t.toml:35:17: energy.array1d_op_pj: energy for operator 'div', which array1d does not support "
          "(its cycles_per_op lacks it)");
    CHECK(parse_error(replaced(spatial_doc, "{ exp = 2, add = 1 }", "{}")) ==
          "t.toml:16:17: array1d.cycles_per_op: must name at least one operator");
    CHECK(parse_error(replaced(spatial_doc, "banks = 2", "banks = 2048")) ==
          "t.toml:21:9: global_buffer.banks: more banks (2048) than bytes (1024)");
    CHECK(parse_error(replaced(gpu_doc, "copy_bandwidth_gb_per_s = 90", "copy_bandwidth_gb_per_s = 120")) ==
          "t.toml:32:27: hbm.copy_bandwidth_gb_per_s: a copy cannot beat the datasheet peak of 100.000000 GB/s");
    CHECK(parse_error(replaced(gpu_doc, "shared_memory_bytes_per_block = 49152", "shared_memory_bytes_per_block = 99999")) ==
          "t.toml:15:33: sm.shared_memory_bytes_per_block: a block cannot have more shared memory (99999) than its "
          "SM (65536)");
    CHECK(parse_error(replaced(gpu_doc, "tensor_clock_mhz = 900", "tensor_clock_mhz = 1100")) ==
          "t.toml:5:20: tensor_clock_mhz: cannot exceed boost_clock_mhz");
    CHECK(parse_error(replaced(edge_doc, "name = \"l2\"", "name = \"l1\"")) ==
          "t.toml:22:8: memory[1].name: level name 'l1' is already used by memory[0]");
    std::string no_levels = edge_doc.substr(0, edge_doc.find("[[memory]]")) + edge_doc.substr(edge_doc.find("[dram]"));
    CHECK(parse_error(replaced(no_levels, "power_budget_w = 5", "power_budget_w = 5\nmemory = []")) ==
          "t.toml:6:10: memory: expected an array of tables, written [[memory]], got an array");
    CHECK(parse_error(replaced(no_levels, "power_budget_w = 5", "power_budget_w = 5\nmemory = { name = \"l1\" }")) ==
          "t.toml:6:10: memory: expected an array of tables, written [[memory]], got a table");
    CHECK(parse_error(no_levels) ==
          "t.toml:1:1: memory: required key is missing (expected an array of tables, written [[memory]])");
}

TEST_CASE("TOML syntax errors carry toml++'s location") {
    std::string message = parse_error(replaced(spatial_doc, "rows = 4", "rows = "));
    CHECK(message.rfind("t.toml:7:", 0) == 0);
    CHECK(message.find("TOML syntax") != std::string::npos);
}

TEST_CASE("files and presets that do not exist") {
    CHECK(error_of([] { load_arch_file("/nonexistent/x.toml"); }) == "/nonexistent/x.toml: cannot read the file");

    std::string presets = preset_dir(arch::test::data_dir()).string();
    std::string known = "presets: " + [] {
        std::string s;
        for (const auto& n : list_presets(arch::test::data_dir())) s += (s.empty() ? "" : ", ") + n;
        return s;
    }();
    CHECK(error_of([] { load_preset("cluod", arch::test::data_dir()); }) ==
          presets + ": unknown architecture preset 'cluod' (did you mean 'cloud'?); " + known);
    CHECK(error_of([] { load_preset("tpu-v9", arch::test::data_dir(), {"sweep.toml", 3, 8, "arch"}); }) ==
          "sweep.toml:3:8: arch: unknown architecture preset 'tpu-v9'; " + known);
    // A name is never a path.
    CHECK(error_of([] { load_preset("../presets/cloud", arch::test::data_dir()); }).find("unknown architecture preset") !=
          std::string::npos);
}

TEST_CASE("a preset file must carry its own name") {
    auto dir = std::filesystem::temp_directory_path() / "einsim-arch-test-presets";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "arch" / "presets");
    std::ofstream(dir / "arch" / "presets" / "mine.toml") << replaced(std::string(arch::test::small_gpu), "name = \"g\"", "name = \"other\"");
    std::ofstream(dir / "arch" / "presets" / "g.toml") << arch::test::small_gpu;
    std::ofstream(dir / "arch" / "presets" / "notes.txt") << "not a preset";

    CHECK(list_presets(dir) == std::vector<std::string>{"g", "mine"});
    CHECK(load_preset("g", dir).name == "g");
    std::string file = (dir / "arch" / "presets" / "mine.toml").string();
    CHECK(error_of([&] { load_preset("mine", dir); }) ==
          file + ":1:8: name: preset file mine.toml must be named 'mine', not 'other'");
    CHECK(list_presets(dir / "nowhere").empty());
    std::filesystem::remove_all(dir);
}

TEST_CASE("a GPU's clusters: GPC sizes are read item by item, located, and must add up to its SMs") {
    const GpuArch g = *parse_arch(gpu_doc, "t.toml").gpu();
    CHECK(g.clusters.max_ctas == 2);
    CHECK(g.clusters.gpc_sms == std::vector<std::int64_t>{2});
    CHECK(parse_error(replaced(gpu_doc, "gpc_sms = [2]", "gpc_sms = [3, -1]")) ==
          "t.toml:45:15: clusters.gpc_sms[1]: must be > 0, got -1");
    CHECK(parse_error(replaced(gpu_doc, "gpc_sms = [2]", "gpc_sms = [1.5, 0.5]")) ==
          "t.toml:45:12: clusters.gpc_sms[0]: expected a positive integer, got a float");
    CHECK(parse_error(replaced(gpu_doc, "gpc_sms = [2]", "gpc_sms = 2")) ==
          "t.toml:45:11: clusters.gpc_sms: expected an array of positive integers, got an integer");
    CHECK(parse_error(replaced(gpu_doc, "gpc_sms = [2]", "gpc_sms = [1]")) ==
          "t.toml:45:11: clusters.gpc_sms: the GPCs hold 1 SMs, sm_count is 2");
    CHECK(parse_error(replaced(gpu_doc, "sm_count = 2", "sm_count = 1000000000000")).find("sm_count: at most 4096 SMs, got 1000000000000") !=
          std::string::npos);
    CHECK(parse_error(replaced(gpu_doc, "gpc_sms = [2]", "gpc_sms = []")) ==
          "t.toml:45:11: clusters.gpc_sms: clusters need the SMs of each GPC");
    CHECK(parse_error(replaced(gpu_doc, "dsmem_latency_ns = 50", "dsmem_latency_ns = 0")) ==
          "t.toml:46:20: clusters.dsmem_latency_ns: must be > 0 where clusters exist (max_ctas > 0)");
    // No clusters (before Hopper): nothing else is needed.
    const std::string none = replaced(replaced(replaced(gpu_doc, "gpc_sms = [2]", "gpc_sms = []"), "max_ctas = 2\n", "max_ctas = 0\n"),
                                      "dsmem_latency_ns = 50", "dsmem_latency_ns = 0");
    CHECK(parse_arch(none, "t.toml").gpu()->clusters.co_resident(2, 1) == 0);
}

TEST_CASE("co-resident clusters: each GPC holds floor(SMs x CTAs an SM / cluster CTAs)") {
    GpuClusters c;
    c.max_ctas = 16;
    c.gpc_sms = {18, 18, 16, 10};
    CHECK(c.co_resident(4, 1) == 4 + 4 + 4 + 2);
    CHECK(c.co_resident(4, 2) == 9 + 9 + 8 + 5);
    CHECK(c.co_resident(16, 1) == 1 + 1 + 1 + 0);
    CHECK(c.co_resident(16, 2) == 2 + 2 + 2 + 1);
    CHECK(c.co_resident(1, 1) == 62);
    CHECK(c.co_resident(17, 4) == 0);  // above max_ctas
    CHECK(c.co_resident(4, 0) == 0);
}
