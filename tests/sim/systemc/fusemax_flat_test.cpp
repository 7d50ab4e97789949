#include <doctest/doctest.h>

#include <cmath>
#include <iostream>

#include "arch/load.h"
#include "mappings/library.h"
#include "sim/systemc/engine.h"
#include "workloads/library.h"
#include "workloads/model.h"

namespace {

struct Design {
    const char *name, *cascade, *mapping, *arch;
};
// The FuseMax comparison's designs (cli/fusemax_vs_flat.h), each on its own architecture.
const Design designs[] = {{"unfused", "attention_3pass", "unfused", "cloud-flat"},
                          {"flat", "attention_3pass", "flat", "cloud-flat"},
                          {"fusemax", "fusemax", "fusemax", "cloud-fusemax"}};

sim::systemc::Run run(const Design& d, const char* model, long long seq, bool trace = false) {
    const std::string data = workloads::data_dir();
    einsum::Cascade c = workloads::load_cascade(d.cascade);
    arch::Arch a = arch::load_preset(d.arch, data);
    sim::systemc::Options o;
    o.trace = trace;
    return sim::systemc::simulate_spatial(c, workloads::bind_model(workloads::load_model(model), c, seq, seq, 1), mappings::load_named_mapping(d.mapping, data),
                                          *a.spatial(), a.name, o);
}

#if defined(__SANITIZE_ADDRESS__)
// Under AddressSanitizer the engine runs about ten times slower: the grid stops at 16K there; the
// plain build runs all of it.
const long long seqs[] = {1024, 4096, 16384};
#else
const long long seqs[] = {1024, 4096, 16384, 65536};
#endif

} // namespace

TEST_CASE("SystemC cycles are within 10% of the analytical model for every design of the FuseMax comparison; beyond 3% the stall is named") {
    double worst = 0;
    for (const char* model : {"bert-base", "trxl", "t5", "xlm"})
        for (long long seq : seqs)
            for (const auto& d : designs) {
                sim::systemc::Run r = run(d, model, seq);
                const double diff = r.result.cycles / r.analytical.cycles - 1;
                const std::string why = sim::systemc::explain(r.result, r.analytical);
                INFO(std::string(d.name) << " " << std::string(model) << " M=" << seq << ": " << 100 * diff << "% " << why);
                CHECK(std::fabs(diff) <= 0.10);
                CHECK(r.result.traffic == r.analytical.traffic);
                if (std::fabs(diff) > 0.03) {
                    CHECK(why.find("waits on") != std::string::npos);
                    MESSAGE(std::string(d.name) << " " << std::string(model) << " M=" << seq << ": " << why);
                } else {
                    CHECK(why.empty());
                }
                worst = std::max(worst, std::fabs(diff));
            }
    MESSAGE("largest |systemc - analytical| / analytical: " << 100 * worst << "%");
}

TEST_CASE("FuseMax's timeline: the 2D and 1D arrays overlap in steady state") {
    sim::systemc::Run r = run(designs[2], "bert-base", 4096, true);
    REQUIRE(r.trace.dropped == 0);
    const std::int64_t end = static_cast<std::int64_t>(r.result.cycles * sim::systemc::ticks_per_cycle);
    // Steady state: the middle of the run, away from the first and last tiles.
    sim::systemc::Overlap o = sim::systemc::busy_overlap(r.trace, "array2d", "array1d", end / 10, end - end / 10);
    INFO("2D busy " << o.busy_a << " ticks, with the 1D array busy " << o.both);
    CHECK(o.fraction() > 0.9);
    CHECK(o.busy_a > 0.8 * (end - end / 5));
}

TEST_CASE("FLAT's timeline: the 2D array is idle while the softmax runs on the 1D array") {
    sim::systemc::Run r = run(designs[1], "bert-base", 4096, true);
    REQUIRE(r.trace.dropped == 0);
    const std::int64_t end = static_cast<std::int64_t>(r.result.cycles * sim::systemc::ticks_per_cycle);
    sim::systemc::Overlap soft = sim::systemc::busy_overlap(r.trace, "array1d", "array2d", 0, end);
    INFO("1D busy " << soft.busy_a << " ticks, with the 2D array busy " << soft.both);
    CHECK(soft.busy_a > end / 2); // the softmax is most of the run
    CHECK(soft.both == 0);        // and the 2D array does nothing meanwhile
    // Its stalls say why: it waits on the 1D array.
    double on_1d = 0;
    for (const auto& s : r.result.stalls)
        if (s.unit == "array2d" && s.cause == "array1d") on_1d = s.cycles;
    CHECK(on_1d > 0.5 * r.result.cycles);
}
