#include "einsum/cascade_toml.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "einsum/expr_parser.h"
#include "einsum/validate.h"

namespace einsum {
namespace {

class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    SourceLocation at(const toml::node& n, const std::string& key) const {
        const auto& src = n.source();
        return {file_, static_cast<int>(src.begin.line), static_cast<int>(src.begin.column), key};
    }

    [[noreturn]] void fail(const toml::node& n, const std::string& key, const std::string& what) const {
        throw InputError(at(n, key), what);
    }

    void check_keys(const toml::table& t, const std::string& path, std::initializer_list<const char*> allowed) const {
        for (const auto& [k, v] : t) {
            bool ok = false;
            for (const char* a : allowed) ok = ok || k.str() == a;
            if (!ok) {
                std::string list;
                for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
                fail(v, path.empty() ? std::string(k.str()) : path + "." + std::string(k.str()),
                     "unknown key '" + std::string(k.str()) + "' (expected one of: " + list + ")");
            }
        }
    }

    std::string str(const toml::node& n, const std::string& key) const {
        if (auto s = n.value<std::string>(); s && n.is_string()) return *s;
        fail(n, key, "expected a string");
    }

    const toml::node& require(const toml::table& t, const char* k, const std::string& path, const toml::node& owner) const {
        const toml::node* n = t.get(k);
        if (!n) fail(owner, path + "." + k, std::string("missing key '") + k + "'");
        return *n;
    }

    std::int64_t integer(const toml::node& n, const std::string& key) const {
        if (!n.is_integer()) fail(n, key, "expected an integer");
        return *n.value<std::int64_t>();
    }

    double number(const toml::node& n, const std::string& key) const {
        if (n.is_integer()) return static_cast<double>(*n.value<std::int64_t>());
        if (n.is_floating_point()) {
            double v = *n.value<double>();
            if (std::isnan(v)) fail(n, key, "expected a number, got nan");
            return v;
        }
        if (n.is_string()) {
            std::string s = *n.value<std::string>();
            if (s == "inf" || s == "+inf") return std::numeric_limits<double>::infinity();
            if (s == "-inf") return -std::numeric_limits<double>::infinity();
        }
        fail(n, key, "expected a number (or \"inf\" / \"-inf\")");
    }

    std::vector<std::string> strings(const toml::node& n, const std::string& key) const {
        const toml::array* a = n.as_array();
        if (!a) fail(n, key, "expected an array of strings");
        std::vector<std::string> out;
        for (std::size_t i = 0; i < a->size(); ++i) out.push_back(str((*a)[i], key + "[" + std::to_string(i) + "]"));
        return out;
    }

    // Parses a sub-language string; syntax errors point at the offending column inside the string.
    template <typename F>
    auto sub(const toml::node& n, const std::string& key, F&& parse) const {
        std::string text = str(n, key);
        try {
            return parse(text);
        } catch (const ExprSyntaxError& e) {
            SourceLocation where = at(n, key);
            where.column += 1 + e.column; // skip the opening quote
            throw InputError(where, std::string(e.what()) + " in \"" + excerpt(text, e.column) + "\"");
        }
    }

    const std::string& file() const { return file_; }

    // The text around a column, cut to about 120 characters when it is longer than 200, so that a
    // huge expression keeps the message readable.
    static std::string excerpt(const std::string& text, int column) {
        const std::size_t half = 60;
        if (text.size() <= 200) return text;
        std::size_t at = std::min<std::size_t>(static_cast<std::size_t>(std::max(column, 0)), text.size());
        std::size_t from = at > half ? at - half : 0, to = std::min(text.size(), at + half);
        return (from > 0 ? "..." : "") + text.substr(from, to - from) + (to < text.size() ? "..." : "");
    }

private:
    std::string file_;
};

RankRole parse_role(const Reader& r, const toml::node& n, const std::string& key) {
    std::string s = r.str(n, key);
    static const std::pair<const char*, RankRole> roles[] = {
        {"batch", RankRole::batch}, {"head", RankRole::head}, {"sequence", RankRole::sequence},
        {"query", RankRole::query}, {"feature", RankRole::feature}, {"other", RankRole::other}};
    for (auto [nm, role] : roles)
        if (s == nm) return role;
    r.fail(n, key, "unknown rank role '" + s + "' (expected batch, head, sequence, query, feature or other)");
}

} // namespace

Cascade parse_cascade(std::string_view text, const std::string& file) {
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        const auto& b = e.source().begin;
        throw InputError({file, static_cast<int>(b.line), static_cast<int>(b.column), ""},
                         "TOML syntax error: " + std::string(e.description()));
    }
    Reader r(file);
    Cascade c;
    c.file = file;
    r.check_keys(root, "", {"name", "description", "element_type", "output", "ranks", "partition", "inputs", "params",
                            "attention", "einsum"});
    if (!root.get("name")) throw InputError({file, 1, 1, "name"}, "missing key 'name'");
    c.name = r.str(*root.get("name"), "name");
    if (auto* n = root.get("description")) c.description = r.str(*n, "description");
    if (auto* n = root.get("element_type")) {
        c.element_type = r.str(*n, "element_type");
        static const char* types[] = {"fp64", "fp32", "fp16", "bf16", "fp8", "int8"};
        bool ok = false;
        for (const char* t : types) ok = ok || c.element_type == t;
        if (!ok) r.fail(*n, "element_type", "unknown element type '" + c.element_type + "' (fp64, fp32, fp16, bf16, fp8, int8)");
    }

    const toml::node* ranks = root.get("ranks");
    if (!ranks || !ranks->is_table()) throw InputError({file, 1, 1, "ranks"}, "missing table [ranks]");
    for (const auto& [k, v] : *ranks->as_table()) {
        std::string key = "ranks." + std::string(k.str());
        RankDecl d;
        d.name = std::string(k.str());
        d.where = r.at(v, key);
        if (v.is_table()) {
            const auto& t = *v.as_table();
            r.check_keys(t, key, {"role", "default"});
            d.role = parse_role(r, r.require(t, "role", key, v), key + ".role");
            if (auto* def = t.get("default")) {
                d.default_extent = r.integer(*def, key + ".default");
                if (*d.default_extent < 1) r.fail(*def, key + ".default", "a default extent must be >= 1");
            }
        } else {
            d.role = parse_role(r, v, key);
        }
        c.ranks.push_back(d);
    }

    if (auto* parts = root.get("partition")) {
        const toml::array* a = parts->as_array();
        if (!a) r.fail(*parts, "partition", "expected an array of tables [[partition]]");
        for (std::size_t i = 0; i < a->size(); ++i) {
            std::string key = "partition[" + std::to_string(i) + "]";
            const toml::table* t = (*a)[i].as_table();
            if (!t) r.fail((*a)[i], key, "expected a table");
            r.check_keys(*t, key, {"rank", "into", "tile", "count", "uneven"});
            Partition p;
            p.where = r.at((*a)[i], key);
            p.parent = r.str(r.require(*t, "rank", key, (*a)[i]), key + ".rank");
            const toml::node& into = r.require(*t, "into", key, (*a)[i]);
            auto parts2 = r.strings(into, key + ".into");
            if (parts2.size() != 2) r.fail(into, key + ".into", "expected two ranks [outer, inner]");
            p.outer = parts2[0];
            p.inner = parts2[1];
            if (auto* n = t->get("tile")) p.tile = r.integer(*n, key + ".tile");
            if (auto* n = t->get("count")) p.count = r.integer(*n, key + ".count");
            if (p.tile && p.count) r.fail(*t->get("count"), key + ".count", "give either 'tile' or 'count', not both");
            if ((p.tile && *p.tile < 1) || (p.count && *p.count < 1))
                r.fail(p.tile ? *t->get("tile") : *t->get("count"), key + (p.tile ? ".tile" : ".count"), "must be >= 1");
            if (auto* n = t->get("uneven")) {
                if (!n->is_boolean()) r.fail(*n, key + ".uneven", "expected true or false");
                p.uneven = *n->value<bool>();
            }
            c.partitions.push_back(p);
        }
    }

    if (auto* ins = root.get("inputs")) {
        if (!ins->is_table()) r.fail(*ins, "inputs", "expected a table of NAME = [ranks...]");
        for (const auto& [k, v] : *ins->as_table()) {
            std::string key = "inputs." + std::string(k.str());
            c.inputs.push_back({std::string(k.str()), r.strings(v, key), r.at(v, key)});
        }
    }
    if (auto* ps = root.get("params")) {
        if (!ps->is_table()) r.fail(*ps, "params", "expected a table of NAME = number");
        for (const auto& [k, v] : *ps->as_table()) {
            std::string key = "params." + std::string(k.str());
            c.params.push_back({std::string(k.str()), r.number(v, key), r.at(v, key)});
        }
    }
    if (auto* att = root.get("attention")) {
        const toml::table* t = att->as_table();
        if (!t) r.fail(*att, "attention", "expected a table");
        r.check_keys(*t, "attention", {"query", "key", "value", "output"});
        AttentionRoles roles;
        roles.query = r.str(r.require(*t, "query", "attention", *att), "attention.query");
        roles.key = r.str(r.require(*t, "key", "attention", *att), "attention.key");
        roles.value = r.str(r.require(*t, "value", "attention", *att), "attention.value");
        roles.output = r.str(r.require(*t, "output", "attention", *att), "attention.output");
        c.attention = roles;
        c.attention_where = r.at(*att, "attention");
    }

    const toml::node* es = root.get("einsum");
    if (!es) throw InputError({file, 1, 1, "einsum"}, "missing [[einsum]] entries");
    const toml::array* a = es->as_array();
    if (!a || a->empty()) r.fail(*es, "einsum", "expected a non-empty array of tables [[einsum]]");
    for (std::size_t i = 0; i < a->size(); ++i) {
        std::string key = "einsum[" + std::to_string(i) + "]";
        const toml::table* t = (*a)[i].as_table();
        if (!t) r.fail((*a)[i], key, "expected a table");
        r.check_keys(*t, key, {"out", "expr", "reduce", "init", "where"});
        Einsum e;
        e.where = r.at((*a)[i], key);
        const toml::node& out = r.require(*t, "out", key, (*a)[i]);
        e.output = r.sub(out, key + ".out", [](const std::string& s) { return parse_access(s); });
        e.output_where = r.at(out, key + ".out");
        e.name = e.output.tensor;
        const toml::node& ex = r.require(*t, "expr", key, (*a)[i]);
        e.expr = r.sub(ex, key + ".expr", [](const std::string& s) { return parse_expr(s); });
        e.expr_where = r.at(ex, key + ".expr");
        if (auto* n = t->get("reduce")) {
            std::string op = r.str(*n, key + ".reduce");
            if (op == "sum") e.reduce = ReduceOp::sum;
            else if (op == "max") e.reduce = ReduceOp::max;
            else if (op == "min") e.reduce = ReduceOp::min;
            else r.fail(*n, key + ".reduce", "unsupported reduce operator '" + op + "' (supported: sum, max, min)");
        }
        if (auto* n = t->get("init")) e.init = r.number(*n, key + ".init");
        if (auto* n = t->get("where")) {
            e.filter = r.sub(*n, key + ".where", [](const std::string& s) { return parse_predicate(s); });
            e.filter_where = r.at(*n, key + ".where");
        }
        c.einsums.push_back(std::move(e));
    }
    if (auto* n = root.get("output")) {
        c.output = r.str(*n, "output");
        c.output_where = r.at(*n, "output");
    } else {
        c.output = c.einsums.back().name;
        c.output_where = {file, 0, 0, "output"};
    }

    validate(c);
    return c;
}

Cascade load_cascade(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError({path, 0, 0, ""}, "cannot open cascade file");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_cascade(ss.str(), path);
}

} // namespace einsum
