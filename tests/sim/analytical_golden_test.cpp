// Golden results of the analytical spatial-array model, recorded from the string-keyed loop-nest
// analysis that the compiled plans (mappings/nest_plan.h) replaced: every built-in template on its
// architecture at several shapes, random points of the mapper's space, and seeded searches. A
// difference here is a change of the model, not a refactoring. When a change of the model (or of
// a built-in cascade, template or preset) is intended, regenerate the data deliberately:
//   EINSIM_WRITE_GOLDEN=tests/sim/data/analytical_golden.csv ./build/tests/sim/einsim_sim_golden_tests
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "arch/load.h"
#include "arch/set_value.h"
#include "mappings/auto_mapping.h"
#include "mappings/instantiate.h"
#include "mappings/legality.h"
#include "mappings/library.h"
#include "mappings/search.h"
#include "sim/analytical/model.h"
#include "sim/spatial.h"
#include "workloads/library.h"
#include "workloads/model.h"

namespace {

const char* golden_path = EINSIM_SOURCE_DIR "/tests/sim/data/analytical_golden.csv";

// One line per case: "case,key=value,key=value,...". Doubles with 17 significant digits (they read
// back exactly); text with its commas and line breaks replaced.
struct Line {
    std::string text;
    explicit Line(const std::string& name) : text(name) {}
    void add(const std::string& key, const std::string& v) {
        std::string clean = v;
        // Messages name files under the data folder: keep the path relative to it.
        const std::string data = workloads::data_dir() + "/";
        for (auto at = clean.find(data); at != std::string::npos; at = clean.find(data)) clean.erase(at, data.size());
        for (auto& ch : clean)
            if (ch == ',' || ch == '\n') ch = ';';
        text += "," + key + "=" + clean;
    }
    void add(const std::string& key, double v) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", v);
        add(key, std::string(buf));
    }
    void add(const std::string& key, std::int64_t v) { add(key, std::to_string(v)); }
    void add(const std::string& key, int v) { add(key, std::to_string(v)); }
    void add(const std::string& key, bool v) { add(key, std::string(v ? "true" : "false")); }
};

void add_result(Line& l, const sim::Result& r, bool full) {
    l.add("cycles", r.cycles);
    l.add("energy_pj", r.energy_pj);
    l.add("buffer_bytes_required", r.buffer_bytes_required);
    l.add("macs", r.macs);
    for (const auto& t : r.traffic) {
        l.add(t.level + ".read_bytes", t.read_bytes);
        l.add(t.level + ".write_bytes", t.write_bytes);
    }
    for (const auto& u : r.units) l.add(u.unit + ".utilization", u.utilization);
    for (const auto& e : r.einsums) l.add("einsum." + e.name + ".cycles", e.cycles);
    if (!full) return;
    l.add("engine", r.engine);
    l.add("cascade", r.cascade);
    l.add("arch", r.arch);
    l.add("mapping", r.mapping);
    l.add("shape", r.shape);
    l.add("time_s", r.time_s);
    for (const auto& u : r.units) l.add(u.unit + ".busy_cycles", u.busy_cycles);
    for (const auto& e : r.energy) l.add("energy." + e.component, e.energy_pj);
    for (const auto& e : r.einsums) {
        std::string k = "einsum." + e.name + ".";
        l.add(k + "unit", e.unit);
        l.add(k + "group", e.group);
        l.add(k + "points", e.points);
        l.add(k + "macs", e.macs);
        l.add(k + "spatial_utilization", e.spatial_utilization);
        l.add(k + "energy_pj", e.energy_pj);
    }
    for (std::size_t g = 0; g < r.groups.size(); ++g) {
        const auto& gs = r.groups[g];
        std::string k = "group[" + std::to_string(g) + "].";
        l.add(k + "name", gs.name);
        l.add(k + "cycles", gs.cycles);
        l.add(k + "bound", gs.bound);
        l.add(k + "array2d_cycles", gs.array2d_cycles);
        l.add(k + "array1d_cycles", gs.array1d_cycles);
        l.add(k + "dram_cycles", gs.dram_cycles);
        l.add(k + "buffer_cycles", gs.buffer_cycles);
    }
}

struct Design {
    const char* mapping;
    const char* cascade;
    const char* arch;
};

// Every built-in template on its architecture, at short, long and very long sequences.
void template_lines(std::vector<std::string>& out) {
    const std::string data = workloads::data_dir();
    const Design designs[] = {{"fusemax", "fusemax", "cloud-fusemax"},
                              {"flat", "attention_3pass", "cloud-flat"},
                              {"unfused", "attention_3pass", "cloud-flat"},
                              {"projections", "transformer_layer", "cloud-flat"}};
    for (const auto& d : designs) {
        einsum::Cascade c = workloads::load_cascade(d.cascade);
        mappings::Mapping tmpl = mappings::load_named_mapping(d.mapping, data);
        arch::Arch a = arch::load_preset(d.arch, data);
        for (const char* model : {"bert-base", "xlm"})
            for (std::int64_t seq : {1024LL, 16384LL, 1048576LL}) {
                Line l(std::string("template/") + d.mapping + "/" + model + "/" + std::to_string(seq));
                try {
                    sim::Result r = sim::simulate_spatial(c, workloads::bind_model(workloads::load_model(model), c, seq, seq, 1), tmpl,
                                                          *a.spatial(), a.name);
                    add_result(l, r, true);
                } catch (const einsum::InputError& e) {
                    l.add("error", std::string(e.what()));
                }
                out.push_back(l.text);
            }
    }
}

struct SpaceCase {
    std::string name;
    einsum::Cascade cascade;
    einsum::ShapeBinding shape;
    arch::Arch arch;
    mappings::Mapping base;
};

std::vector<SpaceCase> space_cases() {
    const std::string data = workloads::data_dir();
    std::vector<SpaceCase> out;
    arch::Arch cloud = arch::load_preset("cloud", data);
    einsum::Cascade gemm = workloads::load_cascade("gemm");
    out.push_back({"gemm", gemm, einsum::parse_shape_binding("K=64,M=1024,N=1024"), cloud, mappings::auto_structure(gemm, *cloud.spatial())});
    arch::Arch fm = arch::load_preset("cloud-fusemax", data);
    einsum::Cascade fc = workloads::load_cascade("fusemax");
    einsum::ShapeBinding fshape = workloads::bind_model(workloads::load_model("bert-base"), fc, 4096, 4096, 1);
    out.push_back({"fusemax", fc, fshape, fm, mappings::instantiate(mappings::load_named_mapping("fusemax", data), fc, fshape, *fm.spatial())});
    // Partition compositions and `where` filters (points counted through the iteration space).
    // Its restarts need `select` on the 1D array.
    einsum::Cascade lean = workloads::load_cascade("leanattention");
    arch::Arch lean_arch = cloud;
    arch::set_values(lean_arch, {{"array1d.cycles_per_op", "{ add = 1, sub = 1, mul = 1, max = 1, exp = 4, div = 4, select = 1 }"},
                                 {"energy.array1d_op_pj", "{ add = 0.4, sub = 0.4, mul = 1.1, max = 0.4, exp = 6.0, div = 5.5, select = 0.4 }"}});
    out.push_back({"leanattention", lean, workloads::bind_model(workloads::load_model("bert-base"), lean, 8192, 1, 2), lean_arch,
                   mappings::auto_structure(lean, *lean_arch.spatial())});
    return out;
}

std::string labels(const mappings::SearchSpace& space, const std::vector<int>& p) {
    std::string s;
    for (std::size_t k = 0; k < p.size(); ++k) s += (k ? ";" : "") + space.knobs[k].name + "=" + space.knobs[k].labels[p[k]];
    return s;
}

std::string mapping_choices(const mappings::Mapping& m) {
    std::string s;
    for (const auto& [k, t] : m.tiles) s += k + "=" + std::to_string(t.value) + ";";
    for (const auto& g : m.groups) {
        for (const auto& l : g.dram_loops) s += l + " ";
        s += std::string(mappings::name(g.overlap)) + ";";
    }
    return s;
}

// Random points of the mapper's space: the per-mapping cost, and the model's full answer or the
// reason the point is illegal.
void space_lines(std::vector<std::string>& out) {
    for (const auto& sc : space_cases()) {
        const arch::SpatialArch& a = *sc.arch.spatial();
        einsum::Shape s = einsum::resolve_shape(sc.cascade, sc.shape);
        mappings::SearchSpace space = mappings::make_space(sc.base, mappings::tile_limits(sc.cascade, s, sc.base));
        mappings::CostFn cost = sim::spatial_cost_function(sc.cascade, sc.shape, a);
        std::mt19937_64 rng(2024);
        const int n = sc.name == "leanattention" ? 40 : 100;
        for (int i = 0; i < n; ++i) {
            std::vector<int> p;
            for (const auto& k : space.knobs) p.push_back(static_cast<int>(rng() % static_cast<std::uint64_t>(k.options)));
            mappings::Mapping m = space.base;
            for (std::size_t k = 0; k < p.size(); ++k) space.knobs[k].apply(m, p[k]);
            Line l("point/" + sc.name + "/" + std::to_string(i));
            l.add("choice", labels(space, p));
            std::optional<mappings::Cost> c = cost(m);
            l.add("legal", c.has_value());
            if (c) {
                l.add("cost.cycles", c->cycles);
                l.add("cost.energy_pj", c->energy_pj);
            }
            try {
                einsum::Shape ms = mappings::mapped_shape(sc.cascade, sc.shape, m);
                mappings::LoopNest nest = mappings::build_loop_nest(sc.cascade, ms, m, a);
                auto v = mappings::violations(sc.cascade, m, a, nest);
                if (!v.empty()) l.add("violation", v.front().key_path + ": " + v.front().reason);
                add_result(l, sim::simulate_analytical(sc.cascade, ms, m, a, nest), false);
            } catch (const einsum::InputError& e) {
                l.add("error", std::string(e.what()));
            }
            out.push_back(l.text);
        }
        // Seeded searches: the same answer whatever the number of threads.
        for (int threads : {1, 3}) {
            mappings::SearchOptions so;
            so.seed = 7;
            so.max_evaluations = 3000;
            so.threads = threads;
            mappings::SearchResult r = mappings::search(space, cost, so);
            Line l("search/" + sc.name + "/threads" + std::to_string(threads));
            l.add("evaluated", r.evaluated);
            l.add("legal", r.legal);
            l.add("exhaustive", r.exhaustive);
            l.add("found", r.best.has_value());
            if (r.best) {
                l.add("best.cycles", r.best_cost.cycles);
                l.add("best.energy_pj", r.best_cost.energy_pj);
                l.add("best.mapping", mapping_choices(*r.best));
            }
            std::string trace;
            for (const auto& [t, score] : r.trace) {
                char buf[64];
                std::snprintf(buf, sizeof buf, "%.17g ", score);
                trace += buf;
            }
            l.add("trace", trace);
            out.push_back(l.text);
        }
    }
}

std::vector<std::pair<std::string, std::string>> fields(const std::string& line) {
    std::vector<std::pair<std::string, std::string>> out;
    std::stringstream ss(line);
    std::string item;
    while (std::getline(ss, item, ',')) {
        auto eq = item.find('=');
        if (eq == std::string::npos) out.emplace_back(item, "");
        else out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    }
    return out;
}

bool is_integer(const std::string& s) {
    if (s.empty()) return false;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (!(std::isdigit(static_cast<unsigned char>(s[i])) || (i == 0 && s[i] == '-'))) return false;
    return true;
}

// Integers and text exactly; other numbers within a relative 1e-12.
bool same_value(const std::string& want, const std::string& got) {
    if (want == got) return true;
    if (is_integer(want) || is_integer(got)) return false;
    char *end_w = nullptr, *end_g = nullptr;
    double w = std::strtod(want.c_str(), &end_w), g = std::strtod(got.c_str(), &end_g);
    if (*end_w || *end_g || want.empty() || got.empty()) return false;
    return std::fabs(w - g) <= 1e-12 * std::max(std::fabs(w), std::fabs(g));
}

void compare_with_golden(const std::vector<std::string>& lines) {
    if (const char* path = std::getenv("EINSIM_WRITE_GOLDEN"); path && *path) {
        std::ofstream f(path);
        for (const auto& l : lines) f << l << "\n";
        MESSAGE("wrote " << lines.size() << " golden lines to " << path);
        return;
    }
    std::ifstream f(golden_path);
    REQUIRE_MESSAGE(f.good(), "missing " << golden_path);
    std::vector<std::string> want;
    for (std::string l; std::getline(f, l);) want.push_back(l);
    REQUIRE(want.size() == lines.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        auto w = fields(want[i]), g = fields(lines[i]);
        INFO("case " << w[0].first);
        REQUIRE(w.size() == g.size());
        for (std::size_t k = 0; k < w.size(); ++k) {
            INFO("key " << w[k].first << ": golden " << w[k].second << ", now " << g[k].second);
            CHECK(w[k].first == g[k].first);
            CHECK(same_value(w[k].second, g[k].second));
        }
    }
}

} // namespace

TEST_CASE("the analytical model's answers equal the recorded ones: templates, random mapper points, searches") {
    std::vector<std::string> lines;
    template_lines(lines);
    space_lines(lines);
    compare_with_golden(lines);
}
