#include "workloads/model.h"

#include <algorithm>
#include <filesystem>
#include <toml++/toml.h>

#include "workloads/library.h"

namespace fs = std::filesystem;

namespace workloads {

std::vector<std::string> model_names() {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(fs::path(data_dir()) / "workloads" / "models", ec))
        if (e.path().extension() == ".toml") names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

ModelShape load_model(const std::string& name) {
    std::error_code ec;
    std::string path = name;
    if (!fs::is_regular_file(path, ec)) path = (fs::path(data_dir()) / "workloads" / "models" / (name + ".toml")).string();
    if (!fs::is_regular_file(path, ec)) {
        std::string known;
        for (const auto& n : model_names()) known += (known.empty() ? "" : ", ") + n;
        throw einsum::InputError({name, 0, 0, ""}, "no such model file or built-in model (built-in: " + known + ")");
    }
    toml::table t;
    try {
        t = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        throw einsum::InputError({path, static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column), ""},
                                 "TOML syntax error: " + std::string(e.description()));
    }
    auto where = [&](const toml::node& n, const std::string& key) {
        return einsum::SourceLocation{path, static_cast<int>(n.source().begin.line), static_cast<int>(n.source().begin.column), key};
    };
    static const char* keys[] = {"name", "source", "layers", "d_model", "heads", "kv_heads", "head_dim", "ffn_dim"};
    for (const auto& [k, v] : t)
        if (std::none_of(std::begin(keys), std::end(keys), [&](const char* a) { return k.str() == a; }))
            throw einsum::InputError(where(v, std::string(k.str())), "unknown key '" + std::string(k.str()) + "'");
    ModelShape m;
    m.id = fs::path(path).stem().string();
    auto text = [&](const char* k) {
        const toml::node* n = t.get(k);
        if (!n) throw einsum::InputError({path, 1, 1, k}, std::string("missing key '") + k + "'");
        if (!n->is_string()) throw einsum::InputError(where(*n, k), "expected a string");
        return *n->value<std::string>();
    };
    auto count = [&](const char* k) {
        const toml::node* n = t.get(k);
        if (!n) throw einsum::InputError({path, 1, 1, k}, std::string("missing key '") + k + "'");
        if (!n->is_integer() || *n->value<std::int64_t>() < 1) throw einsum::InputError(where(*n, k), "expected a positive integer");
        return *n->value<std::int64_t>();
    };
    m.name = text("name");
    m.source = text("source");
    m.layers = count("layers");
    m.d_model = count("d_model");
    m.heads = count("heads");
    m.kv_heads = count("kv_heads");
    m.head_dim = count("head_dim");
    m.ffn_dim = count("ffn_dim");
    if (m.heads % m.kv_heads != 0) throw einsum::InputError(where(*t.get("kv_heads"), "kv_heads"), "heads must be a multiple of kv_heads");
    return m;
}

einsum::ShapeBinding bind_model(const ModelShape& m, const einsum::Cascade& c, std::int64_t seq_len_m, std::int64_t queries_p,
                                std::int64_t batch) {
    einsum::ShapeBinding b;
    b.source = "model " + m.id;
    auto ranks = c.all_ranks();
    auto set = [&](const char* rank, std::int64_t v) {
        if (std::find(ranks.begin(), ranks.end(), rank) != ranks.end()) b.values[rank] = static_cast<double>(v);
    };
    set("B", batch);
    set("H", m.heads);
    if (m.kv_heads != m.heads) set("HKV", m.kv_heads);
    set("E", m.head_dim);
    set("F", m.head_dim);
    set("D", m.d_model);
    set("FF", m.ffn_dim);
    set("M", seq_len_m);
    set("P", queries_p);
    return b;
}

} // namespace workloads
