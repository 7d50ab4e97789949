#include "mappings/auto_mapping.h"

#include <algorithm>
#include <map>

#include "einsum/op_counts.h"
#include "mappings/legality.h"

namespace mappings {
namespace {

bool unit_supports(const einsum::Einsum& e, Unit u, const arch::SpatialArch& a) {
    for (const auto& op : required_ops(e, u)) {
        if (op == "mac") continue;
        auto parsed = arch::parse_op(op);
        if (!parsed || !(u == Unit::array2d ? a.array2d.supports(*parsed) : a.array1d.supports(*parsed))) return false;
    }
    return true;
}

} // namespace

Mapping auto_structure(const einsum::Cascade& c, const arch::SpatialArch& a) {
    Mapping m;
    m.name = "auto-" + c.name;
    m.description = "Generated structure: one group per Einsum, ranks split in two";
    m.cascade = c.name;
    // Which variable is the tile (inner part) of each cascade variable, and which the outer loop.
    std::map<std::string, std::pair<std::string, std::string>> parts; // var -> (outer var, inner var)
    for (const auto& r : c.ranks) {
        std::string v = einsum::var_of_rank(r.name);
        bool partitioned = false;
        for (const auto& p : c.partitions) partitioned = partitioned || p.parent == r.name;
        if (r.role == einsum::RankRole::batch || r.role == einsum::RankRole::head || partitioned) {
            parts[v] = {v, ""};
            continue;
        }
        m.splits.push_back({r.name, {r.name + "1", r.name + "0"}});
        m.tiles[r.name + "0"] = TileValue{1, ""};
        parts[v] = {v + "1", v + "0"};
    }
    for (const auto& p : c.partitions) {
        if (!p.tile) continue; // a count or a composition is the cascade's business
        parts[einsum::var_of_rank(p.outer)] = {einsum::var_of_rank(p.outer), ""};
        parts[einsum::var_of_rank(p.inner)] = {"", einsum::var_of_rank(p.inner)};
        m.tiles[p.inner] = TileValue{*p.tile, ""};
    }
    auto outer = [&](const std::string& v) { return parts.count(v) ? parts[v].first : v; };
    auto inner = [&](const std::string& v) { return parts.count(v) ? parts[v].second : std::string(); };
    for (const auto& e : c.einsums) {
        Group g;
        g.name = e.name;
        g.einsums = {e.name};
        std::vector<std::string> out_vars;
        for (const auto& ix : e.output.index) out_vars.push_back(ix.terms[0].var);
        std::vector<std::string> ordered = out_vars;
        for (const auto& v : e.loop_vars)
            if (std::find(ordered.begin(), ordered.end(), v) == ordered.end()) ordered.push_back(v);
        for (const auto& v : ordered)
            if (!outer(v).empty() && std::find(e.loop_vars.begin(), e.loop_vars.end(), v) != e.loop_vars.end())
                g.dram_loops.push_back(outer(v));
        EinsumMapping em;
        bool two_d = (einsum::is_contraction(e) && a.array2d.macs_per_pe_per_cycle > 0) || unit_supports(e, Unit::array2d, a);
        if (!unit_supports(e, Unit::array1d, a) && !einsum::is_contraction(e)) two_d = unit_supports(e, Unit::array2d, a);
        em.unit = two_d ? Unit::array2d : Unit::array1d;
        std::vector<std::string> tiles;
        for (const auto& v : out_vars)
            if (!inner(v).empty() && std::find(e.loop_vars.begin(), e.loop_vars.end(), v) != e.loop_vars.end()) tiles.push_back(inner(v));
        if (!tiles.empty()) em.rows = {tiles[0]};
        if (two_d && tiles.size() > 1) em.cols = {tiles[1]};
        m.groups.push_back(g);
        m.einsums[e.name] = em;
    }
    return m;
}

} // namespace mappings
