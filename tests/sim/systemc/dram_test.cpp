#include <doctest/doctest.h>

#include <systemc>

#include "sim/systemc/dram.h"
#include "sim/systemc/global_buffer.h"
#include "sim/systemc/kernel.h"
#include "sim/systemc/ticks.h"

using namespace sim::systemc;

namespace {

// A SystemC thread that issues blocking transfers one after another and notes when each ended.
struct Issuer : sc_core::sc_module {
    SC_HAS_PROCESS(Issuer);
    Issuer(sc_core::sc_module_name n, Dram& d, std::vector<std::int64_t> sizes) : sc_core::sc_module(n), dram(d), sizes(std::move(sizes)) {
        SC_THREAD(run);
    }
    void run() {
        for (auto b : sizes) {
            dram.transfer(b, false);
            ends.push_back(now_ticks());
        }
    }
    Dram& dram;
    std::vector<std::int64_t> sizes, ends;
};

std::vector<std::int64_t> play(const DramTiming& t, std::vector<std::int64_t> sizes) {
    Kernel k;
    Dram dram("dram", t);
    Issuer issuer("issuer", dram, std::move(sizes));
    sc_core::sc_start();
    return issuer.ends;
}

} // namespace

TEST_CASE("A DRAM-bound transfer takes bytes / bandwidth + latency") {
    // 425.53 bytes per cycle (400 GB/s at 940 MHz), 8 channels, 64-byte bursts, 100 ns = 94 cycles.
    DramTiming t{400e9 / 940e6, 94, 64, 8};
    const std::int64_t bytes = 64 * 8 * 256; // 128 KiB: a multiple of burst x channels
    auto ends = play(t, {bytes});
    REQUIRE(ends.size() == 1);
    CHECK(to_cycles(ends[0]) == doctest::Approx(bytes / t.bytes_per_cycle + t.latency_cycles).epsilon(1e-6));
}

TEST_CASE("Blocking transfers one after another each pay the latency; the channels stripe every transfer") {
    DramTiming t{64, 100, 64, 4}; // 16 bytes per cycle per channel: a burst takes 4 cycles on its channel
    auto ends = play(t, {4096, 4096});
    REQUIRE(ends.size() == 2);
    CHECK(to_cycles(ends[0]) == doctest::Approx(4096 / 64.0 + 100));
    CHECK(to_cycles(ends[1]) == doctest::Approx(2 * (4096 / 64.0 + 100)));
    // A single burst lands on one channel: burst / (bandwidth / channels) + latency.
    auto one = play(t, {64});
    CHECK(to_cycles(one[0]) == doctest::Approx(4 + 100));
}

TEST_CASE("Transfers issued together share the bandwidth; the latency is paid once") {
    Kernel k;
    DramTiming t{100, 50, 100, 1};
    Dram dram("dram", t);
    // Non-blocking reservations at time 0: 10 transfers of 1000 bytes back to back on the one channel.
    std::int64_t last = 0;
    for (int i = 0; i < 10; ++i) last = dram.reserve(1000, false, 0);
    CHECK(to_cycles(last) == doctest::Approx(10 * 1000 / 100.0 + 50));
    CHECK(to_cycles(dram.busy_ticks()) == doctest::Approx(100));
    CHECK(dram.read_bytes == 10000);
}

TEST_CASE("The global buffer serves accesses first come, first served, striped over its banks") {
    Kernel k;
    GlobalBuffer b("buffer", 64, 4, 1 << 20);
    CHECK(to_cycles(b.access(640, false, 0)) == doctest::Approx(10));
    CHECK(to_cycles(b.access(64, true, 0)) == doctest::Approx(11)); // queued behind the first
    CHECK(to_cycles(b.access(64, true, to_ticks(20))) == doctest::Approx(21));
    CHECK(b.read_bytes == 640);
    CHECK(b.write_bytes == 128);
    CHECK(to_cycles(b.busy_ticks()) == doctest::Approx(12));
    CHECK(b.fits(1 << 20));
    CHECK_FALSE(b.fits((1 << 20) + 1));
}

TEST_CASE("Kernels come and go: each simulation starts at time zero") {
    DramTiming t{1, 0, 64, 1};
    for (int i = 0; i < 3; ++i) CHECK(to_cycles(play(t, {640})[0]) == doctest::Approx(640));
}
