#include "cli/spatial_inputs.h"

#include "arch/load.h"
#include "cli/arch_overrides.h"
#include "cli/number_checks.h"
#include "mappings/library.h"
#include "workloads/library.h"
#include "workloads/model.h"

namespace cli {

void add_spatial_input_options(CLI::App* cmd, SpatialInputs& in, bool mapping_required) {
    cmd->add_option("--cascade", in.cascade, "Cascade TOML file or built-in name")->required();
    cmd->add_option("--arch", in.arch, "Architecture TOML file or preset name (cloud, cloud-fusemax, ...)")->required();
    auto* m = cmd->add_option("--mapping", in.mapping, "Mapping TOML file or built-in template (fusemax, flat, unfused)");
    if (mapping_required) m->required();
    cmd->add_option("--shape", in.shape, "Rank extents and parameters, e.g. B=1,H=12,E=64,F=64,M=4096,P=4096");
    cmd->add_option("--model", in.model, "Model shape (bert-base, ...): binds H, E, F (and HKV); use with --seq");
    cmd->add_option("--seq", in.seq, "Sequence length with --model: M = P = seq")->check(integer_in(1, max_extent));
    cmd->add_option("--batch", in.batch, "Batch with --model")->check(integer_in(1, max_extent))->default_val(1);
    cmd->add_option("--set", in.set, "Architecture override KEY=VALUE (e.g. array2d.rows=128); repeatable");
}

ResolvedSpatial resolve_spatial_inputs(const SpatialInputs& in) {
    ResolvedSpatial r;
    r.cascade = workloads::load_cascade(in.cascade);
    if (!in.model.empty()) {
        if (in.seq <= 0) throw einsum::InputError({"--model", 0, 0, ""}, "--model needs --seq (the sequence length)");
        r.shape = workloads::bind_model(workloads::load_model(in.model), r.cascade, in.seq, in.seq, in.batch);
        if (!in.shape.empty()) {
            // --shape adds what the model leaves open (S, C, tiles) and may set P (P=1: one decode
            // step over a context of --seq); it may not quietly replace what --model, --seq (M) and
            // --batch bound.
            einsum::ShapeBinding extra = einsum::parse_shape_binding(in.shape);
            for (const auto& [k, v] : extra.values) {
                if (r.shape.values.contains(k) && k != "P")
                    throw einsum::InputError({"--shape", 0, 0, k}, "--shape " + k + " is already bound by --model " + in.model + " (with --seq and --batch)");
                r.shape.values[k] = v;
            }
        }
    } else {
        if (in.seq > 0) throw einsum::InputError({"--seq", 0, 0, ""}, "--seq applies with --model (M = P = seq); without it, give M and P in --shape");
        r.shape = einsum::parse_shape_binding(in.shape);
    }
    r.arch = load_arch_with_overrides(in.arch, in.set);
    if (!in.mapping.empty() && r.arch.spatial()) r.mapping = mappings::load_named_mapping(in.mapping, workloads::data_dir());
    return r;
}

} // namespace cli
