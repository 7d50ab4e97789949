#include "mappings/mapping.h"

#include <charconv>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "einsum/shape.h"

namespace mappings {

const char* name(Unit u) { return u == Unit::array2d ? "array2d" : "array1d"; }
const char* name(Overlap o) { return o == Overlap::pipeline ? "pipeline" : "serial"; }

einsum::SourceLocation Mapping::where(const std::string& key_path) const {
    auto it = locations.find(key_path);
    if (it != locations.end()) return it->second;
    return {file, 0, 0, key_path};
}

bool Mapping::is_template() const {
    for (const auto& [k, t] : tiles)
        if (!t.expr.empty()) return true;
    return false;
}

namespace {

struct Reader {
    std::string file;
    einsum::SourceLocation at(const toml::node& n, const std::string& key) const {
        return {file, static_cast<int>(n.source().begin.line), static_cast<int>(n.source().begin.column), key};
    }
    [[noreturn]] void fail(const toml::node& n, const std::string& key, const std::string& what) const {
        throw einsum::InputError(at(n, key), what);
    }
    void keys(const toml::table& t, const std::string& path, std::initializer_list<const char*> allowed) const {
        for (const auto& [k, v] : t) {
            bool ok = false;
            std::string list;
            for (const char* a : allowed) {
                ok = ok || k.str() == a;
                list += (list.empty() ? "" : ", ") + std::string(a);
            }
            std::string key = path.empty() ? std::string(k.str()) : path + "." + std::string(k.str());
            if (!ok) fail(v, key, "unknown key '" + std::string(k.str()) + "' (expected one of: " + list + ")");
        }
    }
    std::string str(const toml::node& n, const std::string& key) const {
        if (!n.is_string()) fail(n, key, "expected a string");
        return *n.value<std::string>();
    }
    std::vector<std::string> strings(const toml::node& n, const std::string& key) const {
        const toml::array* a = n.as_array();
        if (!a) fail(n, key, "expected an array of strings");
        std::vector<std::string> out;
        for (std::size_t i = 0; i < a->size(); ++i) out.push_back(str((*a)[i], key + "[" + std::to_string(i) + "]"));
        return out;
    }
    // An array of distinct strings; records each element's location under KEY[i] in `locations`.
    std::vector<std::string> distinct_strings(const toml::node& n, const std::string& key,
                                              std::map<std::string, einsum::SourceLocation>& locations) const {
        std::vector<std::string> out = strings(n, key);
        const toml::array& a = *n.as_array();
        for (std::size_t i = 0; i < out.size(); ++i) {
            std::string at_key = key + "[" + std::to_string(i) + "]";
            locations[at_key] = at(a[i], at_key);
            for (std::size_t j = 0; j < i; ++j)
                if (out[j] == out[i]) fail(a[i], at_key, "'" + out[i] + "' is listed twice (also at " + key + "[" + std::to_string(j) + "])");
        }
        return out;
    }
    const toml::node& need(const toml::table& t, const char* k, const toml::node& owner, const std::string& path) const {
        if (const toml::node* n = t.get(k)) return *n;
        fail(owner, path + "." + k, std::string("missing key '") + k + "'");
    }
};

TileValue parse_tile(const Reader& r, const toml::node& n, const std::string& key) {
    TileValue t;
    if (n.is_integer()) {
        t.value = *n.value<std::int64_t>();
        if (t.value < 1) r.fail(n, key, "a tile extent must be >= 1");
        // A tile is a rank extent (einsum's shapes: at most 2^31); larger ones overflowed the counts.
        if (t.value > einsum::max_extent) r.fail(n, key, "a tile extent must be at most " + std::to_string(einsum::max_extent));
        return t;
    }
    if (!n.is_string()) r.fail(n, key, "expected an integer or a template string (array2d.rows, array2d.cols, array1d.lanes, fit:<bound>)");
    t.expr = *n.value<std::string>();
    const bool fit = t.expr.rfind("fit:", 0) == 0;
    std::string bound = fit ? t.expr.substr(4) : t.expr;
    bool known = bound == "array2d.rows" || bound == "array2d.cols" || bound == "array1d.lanes";
    bool number = !bound.empty() && bound.find_first_not_of("0123456789") == std::string::npos;
    if (!known && !(number && fit))
        r.fail(n, key, "unknown tile template '" + t.expr + "' (expected array2d.rows, array2d.cols, array1d.lanes or fit:<bound>)");
    if (number) {
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(bound.data(), bound.data() + bound.size(), v);
        if (ec != std::errc() || end != bound.data() + bound.size())
            r.fail(n, key, "the bound of '" + t.expr + "' is too large (at most " + std::to_string(max_fit_bound) + ")");
        if (v < 1) r.fail(n, key, "the bound of '" + t.expr + "' must be >= 1");
        if (v > max_fit_bound) r.fail(n, key, "the bound of '" + t.expr + "' is too large (at most " + std::to_string(max_fit_bound) + ")");
    }
    return t;
}

} // namespace

Mapping parse_mapping(const std::string& text, const std::string& file) {
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        throw einsum::InputError({file, static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column), ""},
                                 "TOML syntax error: " + std::string(e.description()));
    }
    Reader r{file};
    Mapping m;
    m.file = file;
    r.keys(root, "", {"name", "description", "cascade", "split", "tiles", "group", "einsum"});
    if (!root.get("name")) throw einsum::InputError({file, 1, 1, "name"}, "missing key 'name'");
    m.name = r.str(*root.get("name"), "name");
    if (auto* n = root.get("description")) m.description = r.str(*n, "description");
    if (!root.get("cascade")) throw einsum::InputError({file, 1, 1, "cascade"}, "missing key 'cascade' (the cascade this mapping maps)");
    m.cascade = r.str(*root.get("cascade"), "cascade");
    m.locations["cascade"] = r.at(*root.get("cascade"), "cascade");

    if (auto* sp = root.get("split")) {
        const toml::array* a = sp->as_array();
        if (!a) r.fail(*sp, "split", "expected [[split]] tables");
        for (std::size_t i = 0; i < a->size(); ++i) {
            std::string key = "split[" + std::to_string(i) + "]";
            const toml::table* t = (*a)[i].as_table();
            if (!t) r.fail((*a)[i], key, "expected a table");
            r.keys(*t, key, {"rank", "parts"});
            Split s;
            m.locations[key] = r.at((*a)[i], key);
            s.rank = r.str(r.need(*t, "rank", (*a)[i], key), key + ".rank");
            s.parts = r.strings(r.need(*t, "parts", (*a)[i], key), key + ".parts");
            if (s.parts.size() < 2) r.fail(*t->get("parts"), key + ".parts", "a split needs at least two parts (outer first)");
            m.splits.push_back(s);
        }
    }
    if (auto* tl = root.get("tiles")) {
        if (!tl->is_table()) r.fail(*tl, "tiles", "expected a table of RANK = extent");
        for (const auto& [k, v] : *tl->as_table()) {
            std::string key = "tiles." + std::string(k.str());
            m.tiles[std::string(k.str())] = parse_tile(r, v, key);
            m.locations[key] = r.at(v, key);
        }
    }
    const toml::node* gs = root.get("group");
    if (!gs || !gs->is_array() || gs->as_array()->empty())
        throw einsum::InputError(gs ? r.at(*gs, "group") : einsum::SourceLocation{file, 1, 1, "group"}, "expected at least one [[group]]");
    const toml::array& ga = *gs->as_array();
    m.locations["group"] = r.at(*gs, "group");
    for (std::size_t i = 0; i < ga.size(); ++i) {
        std::string key = "group[" + std::to_string(i) + "]";
        const toml::table* t = ga[i].as_table();
        if (!t) r.fail(ga[i], key, "expected a table");
        r.keys(*t, key, {"name", "einsums", "dram_loops", "buffer_loops", "overlap", "double_buffer", "in_unit"});
        Group g;
        m.locations[key] = r.at(ga[i], key);
        g.name = t->get("name") ? r.str(*t->get("name"), key + ".name") : "group" + std::to_string(i);
        const toml::node& einsums = r.need(*t, "einsums", ga[i], key);
        g.einsums = r.strings(einsums, key + ".einsums");
        if (g.einsums.empty()) r.fail(einsums, key + ".einsums", "a group needs at least one Einsum");
        for (std::size_t k = 0; k < g.einsums.size(); ++k) {
            std::string at_key = key + ".einsums[" + std::to_string(k) + "]";
            m.locations[at_key] = r.at((*einsums.as_array())[k], at_key);
        }
        if (auto* n = t->get("dram_loops")) g.dram_loops = r.distinct_strings(*n, key + ".dram_loops", m.locations);
        if (auto* n = t->get("buffer_loops")) g.buffer_loops = r.distinct_strings(*n, key + ".buffer_loops", m.locations);
        if (auto* n = t->get("in_unit")) g.in_unit = r.distinct_strings(*n, key + ".in_unit", m.locations);
        if (auto* n = t->get("overlap")) {
            std::string o = r.str(*n, key + ".overlap");
            if (o == "pipeline") g.overlap = Overlap::pipeline;
            else if (o == "serial") g.overlap = Overlap::serial;
            else r.fail(*n, key + ".overlap", "expected \"pipeline\" or \"serial\"");
        }
        if (auto* n = t->get("double_buffer")) {
            if (!n->is_boolean()) r.fail(*n, key + ".double_buffer", "expected true or false");
            g.double_buffer = *n->value<bool>();
        }
        m.groups.push_back(g);
    }
    if (auto* es = root.get("einsum")) {
        if (!es->is_table()) r.fail(*es, "einsum", "expected [einsum.NAME] tables");
        m.locations["einsum"] = r.at(*es, "einsum");
        for (const auto& [k, v] : *es->as_table()) {
            std::string key = "einsum." + std::string(k.str());
            const toml::table* t = v.as_table();
            if (!t) r.fail(v, key, "expected a table");
            r.keys(*t, key, {"unit", "loops", "rows", "cols"});
            EinsumMapping em;
            m.locations[key] = r.at(v, key);
            std::string u = r.str(r.need(*t, "unit", v, key), key + ".unit");
            if (u == "array2d") em.unit = Unit::array2d;
            else if (u == "array1d") em.unit = Unit::array1d;
            else r.fail(*t->get("unit"), key + ".unit", "unknown unit '" + u + "' (expected array2d or array1d)");
            if (auto* n = t->get("loops")) em.loops = r.distinct_strings(*n, key + ".loops", m.locations);
            if (auto* n = t->get("rows")) em.rows = r.distinct_strings(*n, key + ".rows", m.locations);
            if (auto* n = t->get("cols")) em.cols = r.distinct_strings(*n, key + ".cols", m.locations);
            if (em.unit == Unit::array1d && !em.cols.empty()) r.fail(*t->get("cols"), key + ".cols", "the 1D array has lanes (rows) only");
            m.einsums[std::string(k.str())] = em;
        }
    }
    return m;
}

Mapping load_mapping(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw einsum::InputError({path, 0, 0, ""}, "cannot open mapping file");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_mapping(ss.str(), path);
}

namespace {
std::string quoted(const std::string& s) {
    std::string q = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') q += '\\';
        q += c;
    }
    return q + "\"";
}
std::string list(const std::vector<std::string>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + quoted(v[i]);
    return s + "]";
}
} // namespace

std::string to_toml(const Mapping& m) {
    std::ostringstream os;
    os << "name = " << quoted(m.name) << "\n";
    if (!m.description.empty()) os << "description = " << quoted(m.description) << "\n";
    os << "cascade = " << quoted(m.cascade) << "\n";
    for (const auto& s : m.splits) os << "\n[[split]]\nrank = " << quoted(s.rank) << "\nparts = " << list(s.parts) << "\n";
    if (!m.tiles.empty()) {
        os << "\n[tiles]\n";
        for (const auto& [k, t] : m.tiles) os << k << " = " << (t.expr.empty() ? std::to_string(t.value) : quoted(t.expr)) << "\n";
    }
    for (const auto& g : m.groups) {
        os << "\n[[group]]\nname = " << quoted(g.name) << "\neinsums = " << list(g.einsums) << "\ndram_loops = " << list(g.dram_loops)
           << "\nbuffer_loops = " << list(g.buffer_loops) << "\noverlap = " << quoted(name(g.overlap))
           << "\ndouble_buffer = " << (g.double_buffer ? "true" : "false") << "\nin_unit = " << list(g.in_unit) << "\n";
    }
    for (const auto& [n, e] : m.einsums) {
        os << "\n[einsum." << n << "]\nunit = " << quoted(name(e.unit)) << "\nloops = " << list(e.loops) << "\nrows = " << list(e.rows) << "\n";
        if (e.unit == Unit::array2d) os << "cols = " << list(e.cols) << "\n";
    }
    return os.str();
}

} // namespace mappings
