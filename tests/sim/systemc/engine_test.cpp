#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "arch/load.h"
#include "einsum/cascade_toml.h"
#include "mappings/library.h"
#include "sim/spatial.h"
#include "sim/systemc/engine.h"
#include "workloads/library.h"
#include "workloads/model.h"
#include "../tiny_arch.h"

using namespace einsum;

namespace {

// Z = Aᵀ·B on the 2D array feeding Y = exp(Z) on the 1D array, tile after tile of N.
const char* two_stage_cascade = R"toml(name = "two_stage"
output = "Y"
[ranks]
K = "feature"
M = "other"
N = "other"
[inputs]
A = ["K", "M"]
B = ["K", "N"]
[[einsum]]
out = "Z[m,n]"
expr = "A[k,m] * B[k,n]"
[[einsum]]
out = "Y[m,n]"
expr = "exp(Z[m,n])"
)toml";

const char* two_stage_mapping = R"(name = "two-stage"
cascade = "two_stage"
[[split]]
rank = "N"
parts = ["N1", "N0"]
[tiles]
N0 = 4
[[group]]
name = "pipe"
einsums = ["Z", "Y"]
dram_loops = ["n1"]
overlap = "pipeline"
in_unit = ["Z"]
[einsum.Z]
unit = "array2d"
rows = ["m"]
cols = ["n0"]
[einsum.Y]
unit = "array1d"
rows = ["m"]
)";

// A 4x4 array whose memories never hold it back: what is left is the two stages.
arch::SpatialArch fast_memories() {
    arch::SpatialArch a = tiny_array(1 << 20);
    a.dram.bandwidth_gb_per_s = 1e9;
    a.global_buffer.bandwidth_bytes_per_cycle = 1e9;
    return a;
}

sim::systemc::Options no_latency() {
    sim::systemc::Options o;
    o.dram_latency_ns = 0;
    return o;
}

} // namespace

TEST_CASE("A two-stage producer/consumer pipeline takes fill + N x max(stage) + drain") {
    Cascade c = parse_cascade(two_stage_cascade, "two_stage.toml");
    mappings::Mapping m = mappings::parse_mapping(two_stage_mapping, "two-stage.toml");
    arch::SpatialArch a = fast_memories();
    const long long n_tiles = 10;
    for (long long k : {16LL, 4LL}) {
        // Stage 1 (2D): K multiply-adds in time per tile; stage 2 (1D): 4 columns x exp (2 cycles) per lane.
        const double s1 = static_cast<double>(k), s2 = 4 * 2;
        INFO("K = " << k);
        sim::systemc::Run run = sim::systemc::simulate_spatial(c, parse_shape_binding("K=" + std::to_string(k) + ",M=4,N=" + std::to_string(4 * n_tiles)),
                                                               m, a, "fast", no_latency());
        // fill: the first tile through stage 1; then one tile per max(stage); drain: the last through stage 2.
        const double expected = s1 + (n_tiles - 1) * std::max(s1, s2) + s2;
        CHECK(run.result.cycles == doctest::Approx(expected).epsilon(1e-4));
        CHECK(run.events >= 2 * n_tiles); // operations, and transfers
        // The slower stage never waits once the pipeline is full.
        for (const auto& act : run.result.activity)
            if (act.unit == (s1 > s2 ? "array2d" : "array1d")) CHECK(act.busy_cycles == doctest::Approx(n_tiles * std::max(s1, s2)));
    }
}

TEST_CASE("A DRAM-bound tile: load (bytes / bandwidth + latency), operation, write-back (bytes / bandwidth + latency)") {
    Cascade c = parse_cascade(R"toml(name = "copy"
output = "Y"
[ranks]
M = "other"
N = "other"
[inputs]
X = ["M", "N"]
[[einsum]]
out = "Y[m,n]"
expr = "exp(X[m,n])"
)toml",
                              "copy.toml");
    mappings::Mapping m = mappings::parse_mapping(R"(name = "copy"
cascade = "copy"
[[group]]
name = "copy"
einsums = ["Y"]
[einsum.Y]
unit = "array1d"
rows = ["m"]
)",
                                                  "copy.toml");
    arch::SpatialArch a = tiny_array(1 << 20); // 1 GB/s at 1 GHz: one byte per cycle
    a.global_buffer.bandwidth_bytes_per_cycle = 1e9;
    sim::systemc::Options o; // 8 channels, 64-byte bursts
    o.dram_latency_ns = 100;
    sim::systemc::Run run = sim::systemc::simulate_spatial(c, parse_shape_binding("M=4,N=128"), m, a, "tiny", o);
    const double tile_bytes = 4 * 128 * 2, latency = 100, op = 128 * 2; // 128 columns x exp per lane
    CHECK(run.result.cycles == doctest::Approx(2 * (tile_bytes / 1.0 + latency) + op).epsilon(1e-5));
    REQUIRE(!run.result.stalls.empty());
    CHECK(run.result.stalls[0].unit == "array1d");
    CHECK(run.result.stalls[0].cause == "dram");
    CHECK(run.result.stalls[0].cycles == doctest::Approx(tile_bytes + latency).epsilon(1e-5));
}

TEST_CASE("The SystemC engine moves exactly the analytical model's bytes, for every template") {
    struct T {
        const char *cascade, *mapping, *arch;
    };
    const std::string data = workloads::data_dir();
    for (const T& t : {T{"fusemax", "fusemax", "cloud-fusemax"}, T{"attention_3pass", "flat", "cloud-flat"}, T{"attention_3pass", "unfused", "cloud-flat"},
                       T{"transformer_layer", "projections", "cloud-fusemax"}, T{"transformer_layer", "projections", "cloud-flat"}})
        for (long long seq : {1024LL, 4096LL}) {
            INFO(std::string(t.mapping) << " on " << std::string(t.arch) << " M=" << seq);
            Cascade c = workloads::load_cascade(t.cascade);
            arch::Arch a = arch::load_preset(t.arch, data);
            sim::systemc::Run run = sim::systemc::simulate_spatial(c, workloads::bind_model(workloads::load_model("bert-base"), c, seq, seq, 1),
                                                                   mappings::load_named_mapping(t.mapping, data), *a.spatial(), a.name);
            CHECK(run.result.engine == "systemc");
            CHECK(run.result.traffic == run.analytical.traffic);
            CHECK(run.result.macs == run.analytical.macs);
            // Energy: the same action counts; only static energy follows the simulated time.
            for (std::size_t i = 0; i < run.result.energy.size(); ++i)
                if (run.result.energy[i].component != "static") CHECK(run.result.energy[i].energy_pj == run.analytical.energy[i].energy_pj);
            CHECK(run.result.cycles == doctest::Approx(run.analytical.cycles).epsilon(0.10));
            // Busy + stalled + idle = the run, for every unit.
            for (const auto& act : run.result.activity)
                CHECK(act.busy_cycles + act.stalled_cycles + act.idle_cycles == doctest::Approx(run.result.cycles).epsilon(1e-9));
        }
}

TEST_CASE("Runs are deterministic and independent of one another") {
    Cascade c = workloads::load_cascade("fusemax");
    const std::string data = workloads::data_dir();
    arch::Arch a = arch::load_preset("cloud-fusemax", data);
    auto shape = workloads::bind_model(workloads::load_model("bert-base"), c, 2048, 2048, 1);
    mappings::Mapping m = mappings::load_named_mapping("fusemax", data);
    sim::systemc::Run first = sim::systemc::simulate_spatial(c, shape, m, *a.spatial(), a.name);
    sim::systemc::Run second = sim::systemc::simulate_spatial(c, shape, m, *a.spatial(), a.name);
    CHECK(first.result == second.result);
    CHECK(first.events == second.events);
}

TEST_CASE("The trace is Chrome trace-event JSON with a track per unit and memory level") {
    Cascade c = workloads::load_cascade("fusemax");
    const std::string data = workloads::data_dir();
    arch::Arch a = arch::load_preset("cloud-fusemax", data);
    sim::systemc::Options o;
    o.trace = true;
    sim::systemc::Run run = sim::systemc::simulate_spatial(c, workloads::bind_model(workloads::load_model("bert-base"), c, 1024, 1024, 1),
                                                           mappings::load_named_mapping("fusemax", data), *a.spatial(), a.name, o);
    std::ostringstream out;
    sim::systemc::write_chrome_trace(run.trace, out);
    nlohmann::json j = nlohmann::json::parse(out.str());
    std::set<std::string> tracks;
    std::size_t complete = 0;
    for (const auto& e : j["traceEvents"]) {
        if (e["ph"] == "M" && e["name"] == "thread_name") tracks.insert(e["args"]["name"].get<std::string>());
        if (e["ph"] == "X") {
            ++complete;
            CHECK(e["dur"].get<double>() >= 0);
        }
    }
    for (const char* t : {"array2d", "array1d", "global_buffer", "dram load K", "dram load V", "dram load Q", "dram write-back AV"}) CHECK(tracks.count(t) == 1);
    CHECK(complete == run.trace.events.size());
    CHECK(run.trace.dropped == 0);
    // The last event ends with the run.
    std::int64_t end = 0;
    for (const auto& e : run.trace.events) end = std::max(end, e.start + e.duration);
    CHECK(static_cast<double>(end) == doctest::Approx(run.result.cycles * sim::systemc::ticks_per_cycle));
}

TEST_CASE("DRAM latency with two tiles in flight: SystemC plays out the turnarounds the analytical model counts") {
    Cascade c = workloads::load_cascade("gemm");
    arch::SpatialArch a = tiny_array(1 << 20);
    a.dram.bandwidth_gb_per_s = 1000; // 1000 B/cycle at 1 GHz
    a.dram.latency_ns = 100;
    a.global_buffer.bandwidth_bytes_per_cycle = 1e9;
    mappings::Mapping m = mappings::parse_mapping(tiny_gemm_mapping, "gemm-os.toml");
    sim::systemc::Run run = sim::systemc::simulate_spatial(c, parse_shape_binding("K=8,M=8,N=8"), m, a, "tiny");
    // Four steps of 8 cycles; B's 4 tiles two at a time: step n+2's tile is asked for when step n
    // ends and arrives a latency later. A tile is one 64-byte burst on one of 8 channels (125 B/cycle
    // each: 0.512 cycles). The first tiles land at about 100.5; steps end at 108.5, 116.5, then
    // 209 + 8 = 217 and 225; the last Z tile then leaves: 225 + 0.512 + 100 = 325.5.
    CHECK(run.result.cycles == doctest::Approx(325.5).epsilon(0.001));
    CHECK(run.result.cycles == doctest::Approx(run.analytical.cycles).epsilon(0.03));
}

TEST_CASE("DMA requests: a large write-back does not hold up the other streams' tiles for its whole length") {
    // The projections move MB-sized weight and activation tiles: with one request per transfer the
    // next small tiles queue behind a whole write-back; in 64 KB requests they interleave with it.
    Cascade c = workloads::load_cascade("transformer_layer");
    const std::string data = workloads::data_dir();
    arch::Arch a = arch::load_preset("cloud-fusemax", data);
    auto shape = workloads::bind_model(workloads::load_model("bert-base"), c, 1024, 1024, 1);
    mappings::Mapping m = mappings::load_named_mapping("projections", data);
    sim::systemc::Options whole;
    whole.dram_request_bytes = std::int64_t{1} << 40;
    sim::systemc::Run split = sim::systemc::simulate_spatial(c, shape, m, *a.spatial(), a.name);
    sim::systemc::Run queued = sim::systemc::simulate_spatial(c, shape, m, *a.spatial(), a.name, whole);
    CHECK(split.result.traffic == queued.result.traffic);
    CHECK(split.result.cycles < queued.result.cycles);
    INFO("64 KB requests " << split.result.cycles << ", whole transfers " << queued.result.cycles << ", analytical " << split.analytical.cycles);
    CHECK(split.result.cycles == doctest::Approx(split.analytical.cycles).epsilon(0.03));
}

TEST_CASE("explain names the stall that accounts for a difference beyond the threshold") {
    sim::Result analytical, sc;
    analytical.cycles = 1000;
    sc.cycles = 1020;
    CHECK(sim::systemc::explain(sc, analytical).empty()); // within 3%
    sc.cycles = 1100;
    sc.stalls = {{"array2d", "array1d", 90}, {"array2d", "dram", 60}};
    // A memory stall of at least half the 100 extra cycles is the root cause.
    CHECK(sim::systemc::explain(sc, analytical) == "+10.0% vs analytical: array2d waits on dram 60 cycles (5.5% of the run)");
    sc.stalls = {{"array2d", "array1d", 90}, {"array2d", "dram", 10}};
    CHECK(sim::systemc::explain(sc, analytical) == "+10.0% vs analytical: array2d waits on array1d 90 cycles (8.2% of the run)");
    sc.cycles = 800;
    CHECK(sim::systemc::explain(sc, analytical).rfind("-20.0% vs analytical: the simulated schedule overlaps", 0) == 0);
    sc.stalls.clear();
    sc.cycles = 1100;
    CHECK(sim::systemc::explain(sc, analytical) == "+10.0% vs analytical: no stall recorded");
}

TEST_CASE("Single-buffered groups: one tile of a tensor in flight, the other tensors' transfers still overlap the steps") {
    const std::string data = workloads::data_dir();
    struct T {
        const char *cascade, *mapping, *arch;
    };
    for (const T& t : {T{"fusemax", "fusemax", "cloud-fusemax"}, T{"attention_3pass", "flat", "cloud-flat"}})
        for (long long seq : {1024LL, 4096LL}) {
            INFO(std::string(t.mapping) << " single-buffered, M=" << seq);
            Cascade c = workloads::load_cascade(t.cascade);
            arch::Arch a = arch::load_preset(t.arch, data);
            mappings::Mapping m = mappings::load_named_mapping(t.mapping, data);
            for (auto& g : m.groups) g.double_buffer = false;
            sim::systemc::Run run = sim::systemc::simulate_spatial(c, workloads::bind_model(workloads::load_model("bert-base"), c, seq, seq, 1), m,
                                                                   *a.spatial(), a.name);
            CHECK(run.result.traffic == run.analytical.traffic);
            CHECK(run.result.cycles == doctest::Approx(run.analytical.cycles).epsilon(0.10));
        }
}
