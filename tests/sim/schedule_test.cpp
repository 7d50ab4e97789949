#include <doctest/doctest.h>

#include <cmath>

#include "arch/load.h"
#include "mappings/library.h"
#include "sim/analytical/model.h"
#include "sim/schedule.h"
#include "sim/spatial.h"
#include "workloads/library.h"
#include "workloads/model.h"

namespace {

struct Template {
    const char* cascade;
    const char* mapping;
    const char* arch;
};
// Every built-in template, on the architecture it is meant for.
const Template templates[] = {{"fusemax", "fusemax", "cloud-fusemax"},
                              {"attention_3pass", "flat", "cloud-flat"},
                              {"attention_3pass", "unfused", "cloud-flat"},
                              {"transformer_layer", "projections", "cloud-fusemax"}};

struct Point {
    einsum::Cascade cascade;
    arch::Arch arch;
    sim::SpatialPoint p;
};

Point prepare(const Template& t, const char* model, long long seq) {
    const std::string data = workloads::data_dir();
    Point x{workloads::load_cascade(t.cascade), arch::load_preset(t.arch, data), {}};
    x.p = sim::prepare_spatial(x.cascade, workloads::bind_model(workloads::load_model(model), x.cascade, seq, seq, 1),
                               mappings::load_named_mapping(t.mapping, data), *x.arch.spatial());
    return x;
}

} // namespace

TEST_CASE("The schedule moves the analytical model's bytes and costs its cycles, for every template") {
    for (const auto& t : templates)
        for (long long seq : {1024LL, 4096LL})
            for (const char* model : {"bert-base", "xlm"}) {
                INFO(t.mapping << " " << model << " M=" << seq);
                Point x = prepare(t, model, seq);
                const arch::SpatialArch& a = *x.arch.spatial();
                sim::Schedule s = sim::build_schedule(x.cascade, x.p.shape, a, x.p.mapping, x.p.nest);
                sim::Result r = sim::simulate_analytical(x.cascade, x.p.shape, x.p.mapping, a, x.p.nest);
                sim::ScheduleTotals tot = sim::totals(s);
                for (const auto& l : r.traffic) {
                    if (l.level == "dram") {
                        CHECK(tot.dram_read_bytes == l.read_bytes);
                        CHECK(tot.dram_write_bytes == l.write_bytes);
                    }
                    if (l.level == "global_buffer") {
                        CHECK(tot.buffer_read_bytes == l.read_bytes);
                        CHECK(tot.buffer_write_bytes == l.write_bytes);
                    }
                }
                REQUIRE(s.groups.size() == r.groups.size());
                for (std::size_t g = 0; g < s.groups.size(); ++g) {
                    CHECK(tot.array2d_cycles[g] == doctest::Approx(r.groups[g].array2d_cycles).epsilon(1e-12));
                    CHECK(tot.array1d_cycles[g] == doctest::Approx(r.groups[g].array1d_cycles).epsilon(1e-12));
                    // Every transfer moves one tile of the loop nest: the schedule places as many
                    // transfers as the nest counts fetches.
                    for (const auto& st : s.groups[g].streams) {
                        INFO(st.tensor);
                        CHECK(st.bytes == st.transfers * st.tile_bytes);
                    }
                }
            }
}

TEST_CASE("Walking the schedule visits every operation once, where place_of and ops_through say") {
    for (const auto& t : templates) {
        INFO(t.mapping);
        Point x = prepare(t, "bert-base", 2048);
        sim::Schedule s = sim::build_schedule(x.cascade, x.p.shape, *x.arch.spatial(), x.p.mapping, x.p.nest);
        for (const auto& g : s.groups) {
            std::vector<std::int64_t> seen(g.einsums.size(), 0), transfers(g.streams.size(), 0);
            std::int64_t last_iteration = -1, in_iteration = 0;
            bool ok = true;
            sim::for_each_event(g, [&](const sim::ScheduledEvent& ev) {
                if (ev.kind != sim::ScheduledEvent::Kind::op) {
                    ok = ok && ev.seq == transfers[static_cast<std::size_t>(ev.index)]++;
                    return;
                }
                const auto& e = g.einsums[static_cast<std::size_t>(ev.index)];
                sim::OpPlace p = sim::place_of(g, e, ev.seq);
                ok = ok && ev.seq == seen[static_cast<std::size_t>(ev.index)]++ && p.iteration == ev.iteration && p.substep == ev.substep;
                ok = ok && sim::ops_through(g, e, ev.iteration) >= ev.seq + 1 && sim::ops_through(g, e, ev.iteration - 1) <= ev.seq;
                if (ev.iteration != last_iteration) {
                    if (last_iteration >= 0) ok = ok && in_iteration == sim::ops_in(g, last_iteration);
                    last_iteration = ev.iteration;
                    in_iteration = 0;
                }
                ++in_iteration;
            });
            CHECK(ok);
            for (std::size_t e = 0; e < g.einsums.size(); ++e) CHECK(seen[e] == g.einsums[e].ops);
            for (std::size_t k = 0; k < g.streams.size(); ++k) CHECK(transfers[k] == g.streams[k].transfers);
        }
    }
}

TEST_CASE("FuseMax's schedule: AV runs after the last M1 tile, K and V stream per M1 tile, Q per P2 chunk") {
    Point x = prepare(templates[0], "bert-base", 4096);
    sim::Schedule s = sim::build_schedule(x.cascade, x.p.shape, *x.arch.spatial(), x.p.mapping, x.p.nest);
    REQUIRE(s.groups.size() == 1);
    const sim::ScheduledGroup& g = s.groups[0];
    CHECK(g.loops == std::vector<std::string>{"b", "h", "p2", "m1", "p1"});
    CHECK(g.pipeline);
    const std::int64_t m1 = g.extents[3], p1 = g.extents[4];
    for (const auto& e : g.einsums) {
        if (e.name == "AV") {
            CHECK(e.fixed[3] == m1 - 1); // after the last tile of keys
            CHECK(e.ops * m1 == g.iterations);
            CHECK(sim::place_of(g, e, 0).iteration == (m1 - 1) * p1);
        } else {
            CHECK(e.ops == g.iterations);
        }
        if (e.name == "BQK") CHECK(e.cycles_per_op == 64); // E = 64 in time on a 256 x 256 array
        if (e.name == "RNV") CHECK(e.cycles_per_op == 128); // F = 64 multiply-adds per lane
    }
    for (const auto& st : g.streams) {
        if (st.tensor == "K" || st.tensor == "V") CHECK(st.transfers * p1 == g.iterations);
        if (st.tensor == "Q") CHECK(st.transfers * m1 * p1 == g.iterations);
        if (st.tensor == "AV") CHECK(!st.load);
    }
}

TEST_CASE("FLAT's schedule: QK and AV stream K and V through their own M1 loop, serially") {
    Point x = prepare(templates[1], "bert-base", 4096);
    sim::Schedule s = sim::build_schedule(x.cascade, x.p.shape, *x.arch.spatial(), x.p.mapping, x.p.nest);
    const sim::ScheduledGroup& g = s.groups[0];
    CHECK_FALSE(g.pipeline);
    std::int64_t m1 = x.p.nest.extents.at("m1");
    for (const auto& e : g.einsums)
        CHECK(e.substeps == ((e.name == "QK" || e.name == "AV") ? m1 : 1));
    for (const auto& st : g.streams)
        if (st.tensor == "K" || st.tensor == "V") {
            CHECK(st.substeps == m1);
            CHECK(st.transfers == g.iterations * m1);
        }
}
