#include "einsum/shape.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace einsum {

namespace {
std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }
std::string value_text(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
}
} // namespace

ShapeBinding parse_shape_binding(const std::string& text, const std::string& source) {
    ShapeBinding b;
    b.source = source;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t comma = text.find(',', pos);
        if (comma == std::string::npos) comma = text.size();
        std::string item = text.substr(pos, comma - pos);
        SourceLocation where{source, 0, static_cast<int>(pos) + 1, ""};
        if (!item.empty()) {
            std::size_t eq = item.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
                throw InputError(where, "expected NAME=VALUE, got '" + item + "'");
            std::string name = item.substr(0, eq), value = item.substr(eq + 1);
            where.key_path = name;
            double v = 0;
            try {
                std::size_t used = 0;
                v = std::stod(value, &used);
                if (used != value.size()) throw std::invalid_argument("trailing");
            } catch (const std::exception&) {
                throw InputError(where, "value '" + value + "' of " + name + " is not a number");
            }
            if (b.values.count(name)) throw InputError(where, name + " is bound twice");
            b.values[name] = v;
        } else if (comma != text.size() || !text.empty()) {
            throw InputError(where, "empty item in shape binding '" + text + "'");
        }
        pos = comma + 1;
    }
    return b;
}

std::int64_t Shape::extent(const std::string& rank) const {
    auto it = extents.find(rank);
    if (it == extents.end()) throw std::logic_error("einsim: no extent for rank " + rank);
    return it->second;
}

double Shape::param(const std::string& name) const {
    auto it = params.find(name);
    if (it == params.end()) throw std::logic_error("einsim: no value for parameter " + name);
    return it->second;
}

std::int64_t Shape::factor(const std::string& name) const {
    auto it = extents.find(name);
    if (it != extents.end()) return it->second;
    return static_cast<std::int64_t>(std::llround(param(name)));
}

std::string Shape::str() const {
    std::ostringstream os;
    bool first = true;
    for (const auto& [k, v] : extents) {
        os << (first ? "" : ",") << k << "=" << v;
        first = false;
    }
    for (const auto& [k, v] : params) os << "," << k << "=" << v;
    return os.str();
}

Shape resolve_shape(const Cascade& c, const ShapeBinding& binding) {
    Shape s;
    auto ranks = c.all_ranks();
    auto known_rank = [&](const std::string& n) { return std::find(ranks.begin(), ranks.end(), n) != ranks.end(); };
    SourceLocation bwhere{binding.source, 0, 0, ""};
    for (const auto& [name, v] : binding.values) {
        bwhere.key_path = name;
        if (known_rank(name)) {
            if (v < 1 || v != std::floor(v))
                throw InputError(bwhere, "extent of rank " + name + " must be a positive integer, got " + std::to_string(v));
            if (v > static_cast<double>(max_extent))
                throw InputError(bwhere, "extent of rank " + name + " is too large (at most " + std::to_string(max_extent) + ")");
            s.extents[name] = static_cast<std::int64_t>(v);
        } else if (const Param* p = c.find_param(name)) {
            if (std::isnan(v)) throw InputError(bwhere, "value of parameter " + name + " must be a number, got nan");
            if (p->in_index)
                if (std::string why = index_param_problem(v); !why.empty())
                    throw InputError(bwhere, "parameter " + name + " = " + value_text(v) + ": " + why);
            s.params[name] = v;
        } else {
            std::string known;
            for (const auto& r : ranks) known += (known.empty() ? "" : ", ") + r;
            for (const auto& p : c.params) known += ", " + p.name;
            throw InputError(bwhere, "unknown rank or parameter '" + name + "' (cascade " + c.name + " has: " + known + ")");
        }
    }
    for (const auto& p : c.params)
        if (!s.params.count(p.name)) s.params[p.name] = p.value;
    for (const auto& r : c.ranks) {
        if (s.extents.count(r.name)) continue;
        if (r.default_extent) s.extents[r.name] = *r.default_extent;
        else if (r.role == RankRole::batch || r.role == RankRole::head) s.extents[r.name] = 1;
    }

    auto has = [&](const std::string& n) { return s.extents.count(n) > 0; };
    auto derive = [&]() {
        bool changed = false;
        for (const auto& p : c.partitions) {
            bool hp = has(p.parent), ho = has(p.outer), hi = has(p.inner);
            if (hp && hi && !ho) {
                s.extents[p.outer] = ceil_div(s.extents[p.parent], s.extents[p.inner]);
                changed = true;
            } else if (hp && ho && !hi) {
                std::int64_t inner = ceil_div(s.extents[p.parent], s.extents[p.outer]);
                s.extents[p.inner] = inner;
                // With a count, the number of non-empty slices may be smaller than asked.
                s.extents[p.outer] = ceil_div(s.extents[p.parent], inner);
                changed = true;
            } else if (!hp && ho && hi) {
                s.extents[p.parent] = s.extents[p.outer] * s.extents[p.inner];
                changed = true;
            }
        }
        return changed;
    };
    for (;;) {
        while (derive()) {}
        bool defaulted = false;
        for (const auto& p : c.partitions) {
            if (!has(p.parent) || (has(p.outer) && has(p.inner))) continue;
            std::int64_t parent = s.extents[p.parent];
            if (p.tile && !has(p.inner)) s.extents[p.inner] = std::min(*p.tile, parent);
            else if (p.count && !has(p.outer)) s.extents[p.outer] = std::min(*p.count, parent);
            else continue;
            defaulted = true;
            break;
        }
        if (!defaulted) break;
    }
    for (const auto& r : ranks)
        if (!has(r)) {
            const RankDecl* d = c.find_rank(r);
            SourceLocation where = d ? d->where : SourceLocation{c.file, 0, 0, "ranks." + r};
            throw InputError(where, "rank " + r + " is not bound: give it a value, e.g. --shape " + r + "=N");
        }
    for (const auto& p : c.partitions) {
        std::int64_t parent = s.extents[p.parent], outer = s.extents[p.outer], inner = s.extents[p.inner];
        if (outer * inner < parent || (outer - 1) * inner >= parent)
            throw InputError(p.where, "extents are inconsistent: " + p.parent + "=" + std::to_string(parent) + " cannot be split into " +
                                          p.outer + "=" + std::to_string(outer) + " x " + p.inner + "=" + std::to_string(inner));
        if (!p.uneven && parent % inner != 0)
            throw InputError(p.where, "partition of " + p.parent + "=" + std::to_string(parent) + " into " + p.outer + " x " + p.inner +
                                          " with " + p.inner + "=" + std::to_string(inner) + " does not divide (remainder " +
                                          std::to_string(parent % inner) + ") and is not declared uneven");
    }
    return s;
}

std::int64_t tensor_extent(const Cascade& c, const Shape& s, const std::string& tensor, std::size_t dim) {
    const TensorInfo& t = c.tensors.at(tensor);
    return s.extent(t.ranks.at(dim)) + t.extra.at(dim);
}

std::int64_t tensor_elements(const Cascade& c, const Shape& s, const std::string& tensor) {
    std::int64_t n = 1;
    for (std::size_t d = 0; d < c.tensors.at(tensor).ranks.size(); ++d) n *= tensor_extent(c, s, tensor, d);
    return n;
}

} // namespace einsum
