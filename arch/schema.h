// How each hardware struct lays out its fields in TOML. Every struct is described once, by a
// `describe` function; the TOML reader, the printer and the key-path setter all walk that one
// description, so the three can never disagree about a key, its type or its bounds.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace arch {

struct Arch;
struct Dram;
struct Array2D;
struct Array1D;
struct GlobalBuffer;
struct SpatialArea;
struct SpatialEnergy;
struct SpatialArch;
struct GpuSm;
struct GpuL2;
struct GpuHbm;
struct GpuOverheads;
struct GpuClusters;
struct GpuArch;
struct EdgeCompute;
struct EdgeMemoryLevel;
struct EdgeEnergy;
struct EdgeSparsity;
struct EdgeArch;

namespace schema {

enum class Bound { positive, non_negative };

using Names = std::span<const std::string_view>;
using NumberTable = std::vector<std::pair<std::string, double>>;

// A visitor over one TOML table's fields. `key` is relative to the table being visited.
class FieldVisitor {
public:
    virtual ~FieldVisitor() = default;
    virtual void integer(std::string_view key, std::int64_t& value, Bound bound) = 0;
    virtual void number(std::string_view key, double& value, Bound bound) = 0;
    virtual void boolean(std::string_view key, bool& value) = 0;
    // A non-empty string.
    virtual void text(std::string_view key, std::string& value) = 0;
    // A string drawn from `allowed`; `noun` names what it is in messages ("kind", "device").
    virtual void choice(std::string_view key, std::string& value, Names allowed, std::string_view noun) = 0;
    // A table from names drawn from `allowed` to numbers; `integral` numbers are TOML integers.
    virtual void number_table(std::string_view key, NumberTable& entries, Names allowed, std::string_view noun,
                              Bound bound, bool integral, bool may_be_empty) = 0;
    // An array of integers, each within `bound`; empty only when `may_be_empty`.
    virtual void integer_list(std::string_view key, std::vector<std::int64_t>& values, Bound bound, bool may_be_empty) = 0;
    virtual void table(std::string_view key, const std::function<void(FieldVisitor&)>& body) = 0;
    // A non-empty array of tables.
    virtual void table_list(std::string_view key, std::size_t size, const std::function<void(std::size_t)>& resize,
                            const std::function<void(FieldVisitor&, std::size_t)>& element) = 0;
    // A rule between fields; a violation is reported at `key` (a dotted path relative to this table).
    virtual void check(bool ok, std::string_view key, const std::function<std::string()>& message) = 0;
};

std::size_t index_of(Names names, std::string_view name);

template <class E>
void enumeration(FieldVisitor& v, std::string_view key, E& value, Names names, std::string_view noun) {
    std::string text(names[static_cast<std::size_t>(value)]);
    v.choice(key, text, names, noun);
    value = static_cast<E>(index_of(names, text));
}

template <class E, class T>
void keyed_table(FieldVisitor& v, std::string_view key, std::map<E, T>& map, Names names, std::string_view noun,
                 Bound bound, bool may_be_empty) {
    NumberTable entries;
    for (const auto& [k, x] : map) entries.emplace_back(std::string(names[static_cast<std::size_t>(k)]), double(x));
    v.number_table(key, entries, names, noun, bound, std::is_integral_v<T>, may_be_empty);
    map.clear();
    for (const auto& [name, x] : entries) map[static_cast<E>(index_of(names, name))] = static_cast<T>(x);
}

template <class T>
void sub_table(FieldVisitor& v, std::string_view key, T& value) {
    v.table(key, [&value](FieldVisitor& sub) { describe(sub, value); });
}

template <class T>
void list(FieldVisitor& v, std::string_view key, std::vector<T>& items) {
    v.table_list(
        key, items.size(), [&items](std::size_t n) { items.resize(n); },
        [&items](FieldVisitor& sub, std::size_t i) { describe(sub, items[i]); });
}

} // namespace schema

// One description per struct; defined next to the struct's other functions.
void describe(schema::FieldVisitor& v, Arch& value);
void describe(schema::FieldVisitor& v, Dram& value);
void describe(schema::FieldVisitor& v, Array2D& value);
void describe(schema::FieldVisitor& v, Array1D& value);
void describe(schema::FieldVisitor& v, GlobalBuffer& value);
void describe(schema::FieldVisitor& v, SpatialArea& value);
void describe(schema::FieldVisitor& v, SpatialEnergy& value);
void describe(schema::FieldVisitor& v, SpatialArch& value);
void describe(schema::FieldVisitor& v, GpuSm& value);
void describe(schema::FieldVisitor& v, GpuL2& value);
void describe(schema::FieldVisitor& v, GpuHbm& value);
void describe(schema::FieldVisitor& v, GpuOverheads& value);
void describe(schema::FieldVisitor& v, GpuClusters& value);
void describe(schema::FieldVisitor& v, GpuArch& value);
void describe(schema::FieldVisitor& v, EdgeCompute& value);
void describe(schema::FieldVisitor& v, EdgeMemoryLevel& value);
void describe(schema::FieldVisitor& v, EdgeEnergy& value);
void describe(schema::FieldVisitor& v, EdgeSparsity& value);
void describe(schema::FieldVisitor& v, EdgeArch& value);

} // namespace arch
