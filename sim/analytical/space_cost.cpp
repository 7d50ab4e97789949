#include "sim/analytical/space_cost.h"

#include <algorithm>
#include <map>

#include "mappings/legality.h"
#include "mappings/loop_nest.h"
#include "mappings/nest_eval.h"
#include "mappings/nest_plan.h"
#include "sim/analytical/model_plan.h"

namespace sim {
namespace {

// What every point of the space shares; immutable once built, shared by the clones.
struct Compiled {
    const einsum::Cascade* cascade = nullptr;
    einsum::ShapeBinding shape;
    arch::SpatialArch arch;
    mappings::SearchSpace space;
    mappings::Mapping base; // the space's base with every knob at its first option: the structure of every point
    mappings::NestPlan plan;
    ModelPlan model;
    bool operators_ok = true; // units fixed, so operator support is the same at every point
    std::vector<std::int64_t> base_tiles;
    std::vector<int> base_dram_loops; // every group's DRAM loop slots in turn
    std::vector<mappings::Overlap> base_overlap;

    struct TileKnob {
        int knob = 0, tile = 0;
        std::vector<std::int64_t> values;
    };
    struct OrderKnob {
        int knob = 0, offset = 0;
        std::vector<std::vector<int>> orders; // slots per option
    };
    struct OverlapKnob {
        int knob = 0, group = 0;
    };
    std::vector<TileKnob> tiles;
    std::vector<OrderKnob> orders;
    std::vector<OverlapKnob> overlaps;
    // Tile knobs of cascade ranks change the shape; a shape is cached per combination of their options.
    std::vector<int> shape_knobs;
    std::size_t shape_combinations = 1; // 0: too many for a table, kept in a map instead
};

struct ShapeEntry {
    bool legal = false; // the tiles give a shape (a partition that must divide may not)
    std::vector<std::int64_t> rank_extents, points;
};

class AnalyticalPointCost final : public mappings::PointCost {
public:
    explicit AnalyticalPointCost(std::shared_ptr<const Compiled> k) : k_(std::move(k)) {
        mappings::prepare_numbers(k_->plan, numbers_);
        tiles_ = k_->base_tiles;
        dram_loops_ = k_->base_dram_loops;
        overlap_ = k_->base_overlap;
        table_.assign(k_->shape_combinations, -1);
    }

    std::optional<mappings::Cost> operator()(const int* options) override {
        if (!k_->operators_ok) return std::nullopt;
        const ShapeEntry& shape = shape_for(options);
        if (!shape.legal) return std::nullopt;
        for (const auto& t : k_->tiles) tiles_[t.tile] = t.values[options[t.knob]];
        for (const auto& o : k_->orders) {
            const auto& order = o.orders[options[o.knob]];
            std::copy(order.begin(), order.end(), dram_loops_.begin() + o.offset);
        }
        for (const auto& o : k_->overlaps) overlap_[o.group] = options[o.knob] ? mappings::Overlap::pipeline : mappings::Overlap::serial;
        if (!mappings::evaluate_nest(k_->plan, {shape.rank_extents.data(), shape.points.data(), tiles_.data(), dram_loops_.data()}, numbers_))
            return std::nullopt;
        if (!mappings::fits_capacity(numbers_, k_->arch)) return std::nullopt;
        return run_model(k_->model, numbers_, overlap_.data(), scratch_, nullptr);
    }

    std::unique_ptr<mappings::PointCost> clone() const override { return std::make_unique<AnalyticalPointCost>(k_); }

private:
    const ShapeEntry& shape_for(const int* options) {
        std::size_t index = 0;
        if (k_->shape_combinations) {
            for (int knob : k_->shape_knobs) index = index * static_cast<std::size_t>(k_->space.knobs[knob].options) + static_cast<std::size_t>(options[knob]);
            if (table_[index] < 0) table_[index] = add_shape(options);
            return entries_[static_cast<std::size_t>(table_[index])];
        }
        std::vector<int> key;
        for (int knob : k_->shape_knobs) key.push_back(options[knob]);
        auto it = map_.find(key);
        if (it == map_.end()) it = map_.emplace(key, add_shape(options)).first;
        return entries_[static_cast<std::size_t>(it->second)];
    }

    // The shape as the per-mapping cost resolves it: from a Mapping with these tiles.
    int add_shape(const int* options) {
        mappings::Mapping m = k_->base;
        for (int knob : k_->shape_knobs) k_->space.knobs[knob].apply(m, options[knob]);
        ShapeEntry e;
        try {
            einsum::Shape s = mappings::mapped_shape(*k_->cascade, k_->shape, m);
            mappings::ShapeInputs in = mappings::shape_inputs(k_->plan, *k_->cascade, s);
            e.rank_extents = std::move(in.rank_extents);
            e.points = std::move(in.points);
            e.legal = true;
        } catch (const einsum::InputError&) {
        }
        entries_.push_back(std::move(e));
        return static_cast<int>(entries_.size() - 1);
    }

    std::shared_ptr<const Compiled> k_;
    mappings::NestNumbers numbers_;
    ModelScratch scratch_;
    std::vector<std::int64_t> tiles_;
    std::vector<int> dram_loops_;
    std::vector<mappings::Overlap> overlap_;
    std::vector<ShapeEntry> entries_;
    std::vector<int> table_;
    std::map<std::vector<int>, int> map_;
};

} // namespace

std::unique_ptr<mappings::PointCost> bind_analytical_cost(const einsum::Cascade& c, const einsum::ShapeBinding& shape,
                                                          const arch::SpatialArch& a, const mappings::SearchSpace& space) {
    auto k = std::make_shared<Compiled>();
    k->cascade = &c;
    k->shape = shape;
    k->arch = a;
    k->space = space;
    k->base = space.base;
    for (const auto& knob : space.knobs) {
        if (knob.kind == mappings::KnobKind::opaque) return nullptr;
        knob.apply(k->base, 0);
    }
    try {
        k->plan = mappings::compile_nest(c, k->base, a);
    } catch (const einsum::InputError&) {
        return nullptr; // every point fails the same way: the per-mapping path says so
    }
    const mappings::NestPlan& plan = k->plan;
    std::vector<mappings::Unit> units;
    for (const auto& e : plan.einsums) units.push_back(e.unit);
    k->operators_ok = mappings::operator_violations(c, units, a).empty();
    k->model = compile_model(c, k->base, units, a);
    k->base_tiles = mappings::tile_values(plan, k->base);
    for (const auto& g : plan.groups) k->base_dram_loops.insert(k->base_dram_loops.end(), g.dram_loops.begin(), g.dram_loops.end());
    for (const auto& g : k->base.groups) k->base_overlap.push_back(g.overlap);

    const auto ranks = c.all_ranks();
    for (std::size_t i = 0; i < space.knobs.size(); ++i) {
        const mappings::Knob& knob = space.knobs[i];
        const int ki = static_cast<int>(i);
        if (knob.kind == mappings::KnobKind::tile) {
            auto t = std::find(plan.tile_keys.begin(), plan.tile_keys.end(), knob.tile);
            if (t == plan.tile_keys.end() || static_cast<int>(knob.tile_values.size()) < knob.options) return nullptr;
            k->tiles.push_back({ki, static_cast<int>(t - plan.tile_keys.begin()), knob.tile_values});
            if (std::find(ranks.begin(), ranks.end(), knob.tile) != ranks.end()) k->shape_knobs.push_back(ki);
        } else if (knob.kind == mappings::KnobKind::dram_loops) {
            if (knob.group < 0 || knob.group >= static_cast<int>(plan.groups.size()) || static_cast<int>(knob.orders.size()) < knob.options)
                return nullptr;
            // A new order of the same loops moves no factor to another place: the plan still holds.
            std::vector<std::string> loops = k->base.groups[knob.group].dram_loops;
            std::sort(loops.begin(), loops.end());
            Compiled::OrderKnob ok{ki, plan.groups[knob.group].dram_offset, {}};
            for (auto order : knob.orders) {
                std::vector<int> slots;
                for (const auto& l : order)
                    slots.push_back(static_cast<int>(std::find(plan.slot_vars.begin(), plan.slot_vars.end(), l) - plan.slot_vars.begin()));
                std::sort(order.begin(), order.end());
                if (order != loops) return nullptr;
                ok.orders.push_back(std::move(slots));
            }
            k->orders.push_back(std::move(ok));
        } else if (knob.kind == mappings::KnobKind::overlap) {
            if (knob.group < 0 || knob.group >= static_cast<int>(plan.groups.size())) return nullptr;
            k->overlaps.push_back({ki, knob.group});
        }
    }
    for (int knob : k->shape_knobs) {
        k->shape_combinations *= static_cast<std::size_t>(space.knobs[knob].options);
        if (k->shape_combinations > (1u << 16)) {
            k->shape_combinations = 0;
            break;
        }
    }
    return std::make_unique<AnalyticalPointCost>(std::move(k));
}

} // namespace sim
