#include "cli/sweep/evaluate_point.h"

#include <algorithm>
#include <set>

#include "arch/load.h"
#include "arch/set_value.h"
#include "mappings/library.h"
#include "reports/result_json.h"
#include "reports/table.h"
#include "sim/spatial.h"
#include "workloads/library.h"

namespace cli::sweep {
namespace {

const std::vector<std::string> fixed_columns{"design", "model", "M", "batch", "cascade", "mapping", "arch"};

// Keys that are not already one of the fixed columns, in axis order then base order.
std::vector<std::string> extra_keys(const SweepSpec& s) {
    std::vector<std::string> keys;
    auto add = [&](const std::string& k) {
        static const std::set<std::string> fixed{"design", "model", "seq", "batch", "cascade", "mapping", "arch"};
        if (!fixed.count(k) && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    };
    for (const auto& a : s.axes)
        for (const auto& k : a.keys) add(k);
    for (const auto& [k, v] : s.base) add(k);
    return keys;
}

template <typename T, typename Load>
const T& cached(std::map<std::string, T>& m, const std::string& name, Load load) {
    auto it = m.find(name);
    if (it == m.end()) it = m.emplace(name, load(name)).first;
    return it->second;
}

} // namespace

std::vector<std::string> row_columns(const SweepSpec& s) {
    std::vector<std::string> cols{"point", "point_key"};
    cols.insert(cols.end(), fixed_columns.begin(), fixed_columns.end());
    for (const auto& k : extra_keys(s)) cols.push_back(k);
    cols.insert(cols.end(), {"status", "reason"});
    for (const auto& m : reports::metric_columns()) cols.push_back(m);
    cols.insert(cols.end(), {"e2e_cycles", "e2e_energy_pj", "peak_macs_per_cycle", "dram_bandwidth_bytes_per_cycle", "clock_mhz"});
    return cols;
}

namespace {

// A point's values (base, then the point's own) and the design they resolve to.
struct Resolved {
    std::map<std::string, Value> v;
    std::string design, cascade, mapping, arch_name, model;
    long long seq = 0, batch = 1;
    std::string text(const std::string& k) const { return v.count(k) ? v.at(k).text : std::string(); }
};

Resolved resolve(const SweepSpec& s, const Point& p) {
    Resolved r;
    r.v = s.base;
    for (const auto& [k, val] : p.values) r.v[k] = val;
    r.design = r.text("design"), r.cascade = r.text("cascade"), r.mapping = r.text("mapping"), r.arch_name = r.text("arch");
    if (!r.design.empty()) {
        const Design& d = s.designs.at(r.design);
        if (r.cascade.empty()) r.cascade = d.cascade;
        if (r.mapping.empty()) r.mapping = d.mapping;
        if (r.arch_name.empty()) r.arch_name = d.arch;
    }
    r.model = r.text("model");
    r.seq = r.v.count("seq") ? static_cast<long long>(r.v.at("seq").number) : 0;
    r.batch = r.v.count("batch") ? static_cast<long long>(r.v.at("batch").number) : 1;
    if (!r.seq && r.v.count("shape.M")) r.seq = static_cast<long long>(r.v.at("shape.M").number);
    return r;
}

std::vector<std::string> cells_of(const SweepSpec& s, const Point& p, const Resolved& r) {
    std::vector<std::string> row{std::to_string(p.index), p.key(), r.design, r.model, r.seq ? std::to_string(r.seq) : "", std::to_string(r.batch),
                                 r.cascade, r.mapping, r.arch_name};
    for (const auto& k : extra_keys(s)) row.push_back(r.text(k));
    return row;
}

} // namespace

std::vector<std::string> point_cells(const SweepSpec& s, const Point& p) { return cells_of(s, p, resolve(s, p)); }

std::vector<std::string> evaluate_point(const SweepSpec& s, const Point& p, PointCache& cache) {
    const Resolved res = resolve(s, p);
    const std::map<std::string, Value>& v = res.v;
    std::string design = res.design, cascade = res.cascade, mapping = res.mapping, arch_name = res.arch_name, model = res.model;
    long long seq = res.seq, batch = res.batch;
    std::vector<std::string> row = cells_of(s, p, res);
    std::vector<std::string> metrics(reports::metric_columns().size());
    std::vector<std::string> tail(5);
    std::string status = "ok", reason;
    try {
        if (cascade.empty() || mapping.empty() || arch_name.empty())
            throw einsum::InputError({s.file, 0, 0, "design"}, "the point has no cascade, mapping or architecture");
        const std::string data = workloads::data_dir();
        const einsum::Cascade& c = cached(cache.cascades, cascade, [](const std::string& n) { return workloads::load_cascade(n); });
        std::vector<std::pair<std::string, std::string>> overrides;
        std::string arch_key = arch_name;
        for (const auto& [k, val] : v)
            if (k.rfind("arch.", 0) == 0) {
                overrides.emplace_back(k.substr(5), val.toml);
                arch_key += "|" + k + "=" + val.toml;
            }
        // Applying overrides re-validates the whole description; the same set recurs across points.
        const arch::Arch& a = cached(cache.overridden_arches, arch_key, [&](const std::string&) {
            arch::Arch x = cached(cache.arches, arch_name, [&](const std::string& n) { return arch::load_preset(n, data); });
            if (!overrides.empty()) arch::set_values(x, overrides, s.file);
            return x;
        });
        if (!a.spatial()) throw einsum::InputError({s.file, 0, 0, "arch"}, "architecture " + arch_name + " is not a spatial array");
        mappings::Mapping m = cached(cache.mappings, mapping, [&](const std::string& n) { return mappings::load_named_mapping(n, data); });
        for (const auto& [k, val] : v)
            if (k.rfind("mapping.tiles.", 0) == 0) m.tiles[k.substr(14)] = mappings::TileValue{static_cast<std::int64_t>(val.number), ""};
        einsum::ShapeBinding shape;
        const workloads::ModelShape* ms = nullptr;
        if (!model.empty()) {
            ms = &cached(cache.models, model, [](const std::string& n) { return workloads::load_model(n); });
            shape = workloads::bind_model(*ms, c, seq ? seq : 1, seq ? seq : 1, batch);
        } else if (seq) {
            shape.values["M"] = shape.values["P"] = static_cast<double>(seq);
        }
        for (const auto& [k, val] : v)
            if (k.rfind("shape.", 0) == 0) shape.values[k.substr(6)] = val.number;
        shape.source = s.file + ": point " + p.key();
        sim::Result r = sim::simulate_spatial(c, shape, m, *a.spatial(), a.name);
        metrics = reports::metric_values(r);
        if (s.end_to_end && ms) {
            const einsum::Cascade& layer = cached(cache.cascades, "transformer_layer", [](const std::string& n) { return workloads::load_cascade(n); });
            const mappings::Mapping& proj = cached(cache.mappings, "projections", [&](const std::string& n) { return mappings::load_named_mapping(n, data); });
            sim::Result pr = sim::simulate_spatial(layer, workloads::bind_model(*ms, layer, seq, seq, batch), proj, *a.spatial(), a.name);
            tail[0] = reports::number(static_cast<double>(ms->layers) * (r.cycles + pr.cycles));
            tail[1] = reports::number(static_cast<double>(ms->layers) * (r.energy_pj + pr.energy_pj));
        }
        tail[2] = reports::number(a.spatial()->peak_macs_per_cycle());
        tail[3] = reports::number(a.spatial()->dram_bandwidth_bytes_per_cycle());
        tail[4] = reports::number(a.spatial()->clock_mhz);
    } catch (const einsum::InputError& e) {
        status = "illegal";
        reason = e.reason();
    } catch (const std::exception& e) {
        status = "illegal";
        reason = e.what();
    }
    row.push_back(status);
    row.push_back(reason);
    row.insert(row.end(), metrics.begin(), metrics.end());
    row.insert(row.end(), tail.begin(), tail.end());
    return row;
}

} // namespace cli::sweep
