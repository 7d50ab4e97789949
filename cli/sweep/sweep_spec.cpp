#include "cli/sweep/sweep_spec.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "arch/load.h"
#include "arch/set_value.h"
#include "einsum/shape.h"
#include "mappings/library.h"
#include "workloads/library.h"
#include "workloads/model.h"

namespace cli::sweep {
namespace {

struct Reader {
    std::string file;
    einsum::SourceLocation at(const toml::node& n, const std::string& key) const {
        return {file, static_cast<int>(n.source().begin.line), static_cast<int>(n.source().begin.column), key};
    }
    [[noreturn]] void fail(const toml::node& n, const std::string& key, const std::string& what) const {
        throw einsum::InputError(at(n, key), what);
    }
    Value value(const toml::node& n, const std::string& key) const {
        Value v;
        v.where = at(n, key);
        if (n.is_integer()) {
            v.kind = Value::Kind::integer;
            v.number = static_cast<double>(*n.value<std::int64_t>());
            v.text = v.toml = std::to_string(*n.value<std::int64_t>());
        } else if (n.is_floating_point()) {
            v.kind = Value::Kind::number;
            v.number = *n.value<double>();
            std::ostringstream os;
            os.precision(17);
            os << v.number;
            v.text = v.toml = os.str();
        } else if (n.is_string()) {
            v.kind = Value::Kind::text;
            v.text = *n.value<std::string>();
            v.toml = "\"" + v.text + "\"";
        } else if (n.is_boolean()) {
            v.kind = Value::Kind::boolean;
            v.text = v.toml = *n.value<bool>() ? "true" : "false";
        } else {
            fail(n, key, "expected a number, a string or a boolean");
        }
        return v;
    }
};

std::string fnv1a(const std::string& bytes) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

bool known_root(const std::string& key) {
    static const std::set<std::string> plain{"design", "model", "seq", "batch", "cascade", "mapping", "arch"};
    return plain.count(key) || key.rfind("shape.", 0) == 0 || (key.rfind("arch.", 0) == 0 && key.size() > 5) ||
           (key.rfind("mapping.tiles.", 0) == 0 && key.size() > 14);
}

// A cascade, mapping or architecture name is usable: it loads, and an architecture is a spatial
// array (the only kind a sweep point can run on).
void check_name(const std::string& kind, const std::string& name, const einsum::SourceLocation& where) {
    const std::string data = workloads::data_dir();
    bool spatial = true;
    try {
        if (kind == "model") workloads::load_model(name);
        else if (kind == "cascade") workloads::load_cascade(name);
        else if (kind == "mapping") mappings::load_named_mapping(name, data);
        else spatial = arch::load_preset(name, data).spatial() != nullptr;
    } catch (const std::exception& e) {
        throw einsum::InputError(where, "cannot use " + kind + " \"" + name + "\": " + e.what());
    }
    if (!spatial) throw einsum::InputError(where, "cannot use arch \"" + name + "\": not a spatial array (a sweep runs the spatial-array model)");
}

// Type and meaning of one value for its key, checked before any point runs.
void check_value(const std::string& key, const Value& v, const SweepSpec& s) {
    auto fail = [&](const std::string& what) { throw einsum::InputError(v.where, what); };
    if (key == "seq" || key == "batch" || key.rfind("mapping.tiles.", 0) == 0) {
        if (v.kind != Value::Kind::integer || v.number < 1) fail(key + " takes positive integers, got " + v.toml);
        if (v.number > static_cast<double>(einsum::max_extent))
            fail(key + " = " + v.toml + " is too large (at most " + std::to_string(einsum::max_extent) + ")");
    } else if (key.rfind("shape.", 0) == 0) {
        if (v.kind != Value::Kind::integer && v.kind != Value::Kind::number) fail(key + " takes numbers, got " + v.toml);
        if (!std::isfinite(v.number)) fail(key + " takes finite numbers, got " + v.toml);
    } else if (key == "design") {
        if (v.kind != Value::Kind::text || !s.designs.count(v.text)) {
            std::string known;
            for (const auto& [n, d] : s.designs) known += (known.empty() ? "" : ", ") + n;
            fail("unknown design " + v.toml + " (this sweep defines: " + (known.empty() ? std::string("none") : known) + ")");
        }
    } else if (key == "model" || key == "cascade" || key == "mapping" || key == "arch") {
        if (v.kind != Value::Kind::text) fail(key + " takes names (strings), got " + v.toml);
        check_name(key, v.text, v.where);
    }
}

// shape.NAME must name a rank or parameter of a cascade the sweep may run; a rank's extent is a
// positive integer (as resolve_shape requires) in every cascade that has the rank.
void check_shape_value(const std::string& key, const Value& v, const einsum::SourceLocation& key_at,
                       const std::map<std::string, einsum::Cascade>& cascades) {
    const std::string name = key.substr(6);
    bool known = false;
    std::string have;
    for (const auto& [cname, c] : cascades) {
        std::vector<std::string> ranks = c.all_ranks();
        std::string list;
        for (const auto& r : ranks) list += (list.empty() ? "" : ", ") + r;
        for (const auto& p : c.params) list += ", " + p.name;
        have += (have.empty() ? "" : "; ") + cname + ": " + list;
        if (std::find(ranks.begin(), ranks.end(), name) != ranks.end()) {
            known = true;
            if (v.number < 1 || v.number != std::floor(v.number) || v.number > static_cast<double>(einsum::max_extent))
                throw einsum::InputError(v.where, key + " is the extent of rank " + name + " (cascade " + cname + "): a positive integer up to " +
                                                      std::to_string(einsum::max_extent) + ", got " + v.toml);
        } else if (c.find_param(name)) {
            known = true;
        }
    }
    if (!known && !cascades.empty())
        throw einsum::InputError(key_at, "unknown rank or parameter '" + name + "' in " + key + " (the sweep's cascades have: " + have + ")");
}

// mapping.tiles.NAME must name a rank of a cascade the sweep may run (a tile of a typo'd rank would
// leave every point's mapping as it was, or make each point illegal, without a word at load).
void check_tile_key(const std::string& key, const einsum::SourceLocation& key_at, const std::map<std::string, einsum::Cascade>& cascades) {
    const std::string name = key.substr(std::string("mapping.tiles.").size());
    std::string have;
    for (const auto& [cname, c] : cascades) {
        const std::vector<std::string> ranks = c.all_ranks();
        if (std::find(ranks.begin(), ranks.end(), name) != ranks.end()) return;
        std::string list;
        for (const auto& r : ranks) list += (list.empty() ? "" : ", ") + r;
        have += (have.empty() ? "" : "; ") + cname + ": " + list;
    }
    if (!cascades.empty()) throw einsum::InputError(key_at, "unknown rank '" + name + "' in " + key + " (the sweep's cascades have: " + have + ")");
}

} // namespace

SweepSpec parse_sweep(const std::string& text, const std::string& file) {
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        throw einsum::InputError({file, static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column), ""},
                                 "TOML syntax error: " + std::string(e.description()));
    }
    Reader r{file};
    SweepSpec s;
    s.file = file;
    s.sha = fnv1a(text);
    for (const auto& [k, v] : root) {
        static const std::set<std::string> keys{"name", "description", "end_to_end", "base", "designs", "axis", "exclude"};
        if (!keys.count(std::string(k.str())))
            r.fail(v, std::string(k.str()), "unknown key '" + std::string(k.str()) + "' (expected name, description, end_to_end, base, designs, axis, exclude)");
    }
    const toml::node* name = root.get("name");
    if (!name || !name->is_string()) throw einsum::InputError({file, 1, 1, "name"}, "missing string key 'name'");
    s.name = *name->value<std::string>();
    s.name_at = r.at(*name, "name");
    // The name is the default output's file name (NAME.csv beside the working directory).
    if (s.name.empty()) r.fail(*name, "name", "empty sweep name (it names the default output, NAME.csv)");
    if (s.name.find_first_of("/\\") != std::string::npos || s.name.front() == '.' ||
        std::any_of(s.name.begin(), s.name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
        r.fail(*name, "name", "sweep name \"" + s.name + "\" cannot be a file name (it names the default output, NAME.csv): no '/', '\\', control characters or leading '.'");
    if (auto* d = root.get("description"); d && d->is_string()) s.description = *d->value<std::string>();
    if (auto* e = root.get("end_to_end")) {
        if (!e->is_boolean()) r.fail(*e, "end_to_end", "expected true or false");
        s.end_to_end = *e->value<bool>();
    }
    if (auto* ds = root.get("designs")) {
        if (!ds->is_table()) r.fail(*ds, "designs", "expected [designs.NAME] tables");
        for (const auto& [k, v] : *ds->as_table()) {
            std::string key = "designs." + std::string(k.str());
            const toml::table* t = v.as_table();
            if (!t) r.fail(v, key, "expected a table with cascade, mapping and arch");
            Design d;
            for (const auto& [f, fv] : *t) {
                std::string fk = key + "." + std::string(f.str());
                if (f.str() != "cascade" && f.str() != "mapping" && f.str() != "arch")
                    r.fail(fv, fk, "unknown key '" + std::string(f.str()) + "' (expected cascade, mapping, arch)");
                if (!fv.is_string()) r.fail(fv, fk, "expected a string (a " + std::string(f.str()) + " name)");
                if (f.str() == "cascade") d.cascade = *fv.value<std::string>(), d.cascade_at = r.at(fv, fk);
                else if (f.str() == "mapping") d.mapping = *fv.value<std::string>(), d.mapping_at = r.at(fv, fk);
                else d.arch = *fv.value<std::string>(), d.arch_at = r.at(fv, fk);
            }
            if (d.cascade.empty() || d.mapping.empty() || d.arch.empty()) r.fail(v, key, "a design needs cascade, mapping and arch");
            check_name("cascade", d.cascade, d.cascade_at);
            check_name("mapping", d.mapping, d.mapping_at);
            check_name("arch", d.arch, d.arch_at);
            s.designs[std::string(k.str())] = d;
        }
    }
    if (auto* b = root.get("base")) {
        if (!b->is_table()) r.fail(*b, "base", "expected a table of key path = value");
        for (const auto& [k, v] : *b->as_table()) {
            std::string key(k.str());
            // Dotted keys (shape.M = 4) arrive as nested tables.
            if (const toml::table* sub = v.as_table()) {
                for (const auto& [k2, v2] : *sub) {
                    if (v2.is_table()) r.fail(v2, "base." + key + "." + std::string(k2.str()), "nested too deep");
                    s.base[key + "." + std::string(k2.str())] = r.value(v2, "base." + key + "." + std::string(k2.str()));
                }
                continue;
            }
            s.base[key] = r.value(v, "base." + key);
        }
    }
    const toml::node* axes = root.get("axis");
    if (!axes || !axes->is_array() || axes->as_array()->empty())
        throw einsum::InputError(axes ? r.at(*axes, "axis") : einsum::SourceLocation{file, 1, 1, "axis"}, "expected at least one [[axis]]");
    std::set<std::string> seen;
    const toml::array& aa = *axes->as_array();
    for (std::size_t i = 0; i < aa.size(); ++i) {
        std::string key = "axis[" + std::to_string(i) + "]";
        const toml::table* t = aa[i].as_table();
        if (!t) r.fail(aa[i], key, "expected a table");
        Axis a;
        auto add = [&](const std::string& path, const toml::node& list, const std::string& where) {
            const toml::array* arr = list.as_array();
            if (!arr) r.fail(list, where, "expected an array of values");
            if (arr->empty()) r.fail(list, where, "empty axis: give at least one value");
            if (seen.count(path)) r.fail(list, where, "key '" + path + "' appears on two axes");
            seen.insert(path);
            std::vector<Value> vals;
            for (std::size_t j = 0; j < arr->size(); ++j) vals.push_back(r.value((*arr)[j], where + "[" + std::to_string(j) + "]"));
            for (const auto& v : vals)
                if (v.kind != vals.front().kind && !(v.kind != Value::Kind::text && vals.front().kind != Value::Kind::text && v.kind != Value::Kind::boolean))
                    throw einsum::InputError(v.where, "type mismatch: " + v.toml + " among values of another type on axis '" + path + "'");
            if (!t->get("zip"))
                for (std::size_t j = 0; j < vals.size(); ++j)
                    for (std::size_t k = 0; k < j; ++k)
                        if (vals[j].text == vals[k].text)
                            throw einsum::InputError(vals[j].where, "duplicate value " + vals[j].toml + " on axis '" + path + "' (also at " +
                                                                       std::to_string(vals[k].where.line) + ":" + std::to_string(vals[k].where.column) +
                                                                       "): it would run the same points twice");
            a.keys.push_back(path);
            a.values.push_back(std::move(vals));
            a.where.push_back(r.at(list, where));
        };
        if (auto* zip = t->get("zip")) {
            if (t->get("key") || t->get("values")) r.fail(aa[i], key, "an axis has either key + values, or zip");
            const toml::table* z = zip->as_table();
            if (!z || z->empty()) r.fail(*zip, key + ".zip", "expected a table of key path = [values]");
            std::function<void(const toml::table&, const std::string&)> walk = [&](const toml::table& tt, const std::string& prefix) {
                for (const auto& [k, v] : tt) {
                    std::string path = prefix + std::string(k.str());
                    if (const toml::table* nested = v.as_table()) walk(*nested, path + ".");
                    else add(path, v, key + ".zip." + path);
                }
            };
            walk(*z, "");
            for (std::size_t k = 1; k < a.keys.size(); ++k)
                if (a.values[k].size() != a.values[0].size())
                    throw einsum::InputError(a.where[k], "zipped axes of different lengths: '" + a.keys[k] + "' has " + std::to_string(a.values[k].size()) +
                                                             " values, '" + a.keys[0] + "' has " + std::to_string(a.values[0].size()));
            // Zipped keys may repeat a value; the same tuple twice would be the same points twice.
            for (std::size_t j = 0; j < a.size(); ++j)
                for (std::size_t m = 0; m < j; ++m) {
                    bool same = true;
                    for (std::size_t k = 0; k < a.keys.size(); ++k) same = same && a.values[k][j].text == a.values[k][m].text;
                    if (same)
                        throw einsum::InputError(a.values[0][j].where, "duplicate entry " + std::to_string(j) + " of the zipped axis (the same values as entry " +
                                                                            std::to_string(m) + "): it would run the same points twice");
                }
        } else {
            for (const auto& [k, v] : *t)
                if (k.str() != "key" && k.str() != "values") r.fail(v, key + "." + std::string(k.str()), "unknown key '" + std::string(k.str()) + "' (expected key and values, or zip)");
            const toml::node* kn = t->get("key");
            const toml::node* vn = t->get("values");
            if (!kn || !kn->is_string()) r.fail(aa[i], key + ".key", "missing string key 'key' (the key path this axis varies)");
            if (!vn) r.fail(aa[i], key + ".values", "missing 'values'");
            add(*kn->value<std::string>(), *vn, key + ".values");
        }
        s.axes.push_back(std::move(a));
    }
    if (auto* ex = root.get("exclude")) {
        const toml::array* arr = ex->as_array();
        if (!arr) r.fail(*ex, "exclude", "expected [[exclude]] tables");
        for (std::size_t i = 0; i < arr->size(); ++i) {
            std::string key = "exclude[" + std::to_string(i) + "]";
            const toml::table* t = (*arr)[i].as_table();
            if (!t || t->empty()) r.fail((*arr)[i], key, "expected a table of key path = value or [values]");
            Exclusion e;
            for (const auto& [k, v] : *t) {
                std::string path(k.str());
                if (const toml::array* list = v.as_array())
                    for (std::size_t j = 0; j < list->size(); ++j) e.match[path].push_back(r.value((*list)[j], key + "." + path));
                else
                    e.match[path].push_back(r.value(v, key + "." + path));
            }
            s.exclusions.push_back(std::move(e));
        }
    }

    // Meaning of every key and value, before anything runs.
    auto check_key = [&](const std::string& path, const einsum::SourceLocation& where) {
        if (!known_root(path))
            throw einsum::InputError(where, "unknown key path '" + path + "' (expected design, model, seq, batch, cascade, mapping, arch, shape.RANK, arch.KEY.PATH or mapping.tiles.RANK)");
    };
    for (const auto& [path, v] : s.base) {
        check_key(path, v.where);
        check_value(path, v, s);
    }
    for (const auto& a : s.axes)
        for (std::size_t k = 0; k < a.keys.size(); ++k) {
            check_key(a.keys[k], a.where[k]);
            for (const auto& v : a.values[k]) check_value(a.keys[k], v, s);
        }
    // An exclusion names values a point can have: on the key's axis, or the base value.
    for (const auto& e : s.exclusions)
        for (const auto& [path, vals] : e.match) {
            check_key(path, vals.front().where);
            std::vector<Value> possible;
            for (const auto& a : s.axes)
                for (std::size_t k = 0; k < a.keys.size(); ++k)
                    if (a.keys[k] == path) possible = a.values[k];
            if (possible.empty()) {
                if (auto b = s.base.find(path); b != s.base.end()) possible.push_back(b->second);
            }
            if (possible.empty())
                throw einsum::InputError(vals.front().where, "exclusion on '" + path + "', which is on no axis and not in [base]: it would exclude nothing");
            std::string listed;
            for (const auto& p : possible) listed += (listed.empty() ? "" : ", ") + p.toml;
            for (const auto& v : vals)
                if (std::find(possible.begin(), possible.end(), v) == possible.end()) {
                    bool same_kind = std::any_of(possible.begin(), possible.end(), [&](const Value& p) { return p.kind == v.kind; });
                    throw einsum::InputError(v.where, std::string(same_kind ? "value " : "value of another type: ") + v.toml + " is not among the values of '" +
                                                          path + "' (" + listed + "): the exclusion would exclude nothing");
                }
        }
    // Shape ranks and parameters, against the cascades the points may run.
    std::map<std::string, einsum::Cascade> cascades;
    auto add_cascade = [&](const std::string& n) {
        if (!cascades.count(n)) cascades.emplace(n, workloads::load_cascade(n));
    };
    for (const auto& [n, d] : s.designs) add_cascade(d.cascade);
    if (auto b = s.base.find("cascade"); b != s.base.end()) add_cascade(b->second.text);
    for (const auto& a : s.axes)
        for (std::size_t k = 0; k < a.keys.size(); ++k)
            if (a.keys[k] == "cascade")
                for (const auto& v : a.values[k]) add_cascade(v.text);
    for (const auto& [path, v] : s.base)
        if (path.rfind("shape.", 0) == 0) check_shape_value(path, v, v.where, cascades);
    for (const auto& a : s.axes)
        for (std::size_t k = 0; k < a.keys.size(); ++k)
            if (a.keys[k].rfind("shape.", 0) == 0)
                for (const auto& v : a.values[k]) check_shape_value(a.keys[k], v, a.where[k], cascades);
    for (const auto& [path, v] : s.base)
        if (path.rfind("mapping.tiles.", 0) == 0) check_tile_key(path, v.where, cascades);
    for (const auto& a : s.axes)
        for (std::size_t k = 0; k < a.keys.size(); ++k)
            if (a.keys[k].rfind("mapping.tiles.", 0) == 0) check_tile_key(a.keys[k], a.where[k], cascades);
    // Architecture overrides must be accepted by every architecture they may apply to.
    std::set<std::string> arches;
    for (const auto& [n, d] : s.designs) arches.insert(d.arch);
    if (auto b = s.base.find("arch"); b != s.base.end()) arches.insert(b->second.text);
    for (const auto& a : s.axes)
        for (std::size_t k = 0; k < a.keys.size(); ++k)
            if (a.keys[k] == "arch")
                for (const auto& v : a.values[k]) arches.insert(v.text);
    auto check_arch_value = [&](const std::string& path, const Value& v) {
        for (const auto& name : arches) {
            arch::Arch a = arch::load_preset(name, workloads::data_dir());
            try {
                arch::set_value(a, path.substr(5), v.toml, file);
            } catch (const std::exception& e) {
                throw einsum::InputError(v.where, "architecture " + name + " rejects " + path + " = " + v.toml + ": " + e.what());
            }
        }
    };
    for (const auto& [path, v] : s.base)
        if (path.rfind("arch.", 0) == 0) check_arch_value(path, v);
    for (const auto& a : s.axes)
        for (std::size_t k = 0; k < a.keys.size(); ++k)
            if (a.keys[k].rfind("arch.", 0) == 0)
                for (const auto& v : a.values[k]) check_arch_value(a.keys[k], v);
    bool has_design = s.base.count("design") || s.base.count("cascade");
    for (const auto& a : s.axes)
        for (const auto& k : a.keys) has_design = has_design || k == "design" || k == "cascade";
    if (!has_design) throw einsum::InputError({file, 1, 1, "axis"}, "the sweep names no design and no cascade (set base.design or an axis over design)");
    return s;
}

SweepSpec load_sweep(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw einsum::InputError({path, 0, 0, ""}, "cannot open sweep file");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_sweep(ss.str(), path);
}

} // namespace cli::sweep
