#include "cli/simulate_edge.h"

#include <cmath>
#include <iostream>
#include <sstream>

#include "arch/arch.h"
#include "cli/commands.h"
#include "cli/number_checks.h"
#include "cli/sparsity_inputs.h"
#include "einsum/delta_sequence.h"
#include "einsum/input_error.h"
#include "sim/edge/edge_model.h"
#include "workloads/model.h"

namespace cli {
namespace {

[[noreturn]] void bad(const std::string& key, const std::string& what) { throw einsum::InputError({key, 0, 0, ""}, what); }

double binding_or_param(const ResolvedSpatial& in, const char* name) {
    auto it = in.shape.values.find(name);
    if (it != in.shape.values.end()) return it->second;
    const einsum::Param* p = in.cascade.find_param(name);
    if (!p) bad("--cascade", "cascade '" + in.cascade.name + "' has no parameter '" + name + "': the edge model needs a delta cascade (deltallm)");
    return p->value;
}

sim::EdgeWorkload workload(const SpatialInputs& raw, const ResolvedSpatial& in, const EdgeSimulateOptions& o) {
    sim::EdgeWorkload w;
    auto value = [&](const char* rank, double fallback) {
        auto it = in.shape.values.find(rank);
        return it != in.shape.values.end() ? it->second : fallback;
    };
    if (!raw.model.empty()) {
        workloads::ModelShape m = workloads::load_model(raw.model);
        w.model = m.name;
        w.layers = m.layers;
        w.kv_heads = m.kv_heads;
    } else {
        w.layers = 1;
        if (!in.shape.values.count("M")) bad("--shape", "give the sequence length: --shape M=... (with H, E, F), or --model and --seq");
    }
    w.heads = (std::int64_t)value("H", 1);
    w.head_dim = (std::int64_t)value("E", 64);
    w.value_dim = (std::int64_t)value("F", double(w.head_dim));
    if (raw.model.empty()) w.kv_heads = (std::int64_t)value("HKV", double(w.heads));
    w.batch = (std::int64_t)value("B", 1);
    w.prefill_tokens = (std::int64_t)value("M", 1);
    w.decode_context = o.decode_context > 0 ? o.decode_context : w.prefill_tokens;
    w.window = (std::int64_t)binding_or_param(in, "W");
    w.element_type = in.cascade.element_type;
    return w;
}

// Element and block sparsity of the cascade on a token sequence, blocks of `block` elements.
sim::EdgeSparsityInput measure(const ResolvedSpatial& in, const EdgeSimulateOptions& o, const sim::EdgeWorkload& w, std::int64_t block) {
    const bool files = o.sparsity_input.rfind("npy:", 0) == 0; // extents come from the files
    const std::string shape = files                      ? ""
                              : !o.measure_shape.empty() ? o.measure_shape
                                                         : "H=1,E=" + std::to_string(w.head_dim) + ",F=" + std::to_string(w.value_dim) + ",M=256";
    SequenceInput seq = load_sequence(o.sparsity_input, shape, in.cascade);
    einsum::SequenceOptions so{{{"theta", binding_or_param(in, "theta")}, {"W", double(w.window)}}, 0, block};
    einsum::SequenceRun run = einsum::run_sequence(in.cascade, nullptr, seq.seq, so);
    return {run.overall.sparsity.sparsity(), run.overall.sparsity.block_sparsity(), "measured (" + seq.description + ", " + seq.shape + ")"};
}

nlohmann::ordered_json cost_json(const sim::EdgeCost& c) {
    return {{"time_s", c.time_s}, {"cycles", c.cycles}, {"bound", c.bound}, {"energy_pj", c.energy_pj},
            {"macs", c.macs}, {"skipped_macs", c.skipped_macs}, {"exps", c.exps}, {"vector_ops", c.vector_ops},
            {"kept_elements", c.kept_elements}, {"compute_cycles", c.compute_cycles}, {"overhead_cycles", c.overhead_cycles},
            {"dram_cycles", c.dram_cycles}, {"dram_read_bytes", c.dram_read_bytes}, {"dram_write_bytes", c.dram_write_bytes},
            {"kv_read_bytes", c.kv_read_bytes}, {"state_bytes", c.state_bytes},
            {"energy", {{"compute_pj", c.compute_pj}, {"overhead_pj", c.overhead_pj}, {"onchip_pj", c.onchip_pj}, {"dram_pj", c.dram_pj}, {"static_pj", c.static_pj}}}};
}

nlohmann::ordered_json stage_json(const sim::EdgeStage& s) {
    return {{"dense", cost_json(s.dense)}, {"deltallm", cost_json(s.delta)}, {"speedup", s.speedup()}, {"energy_ratio", s.energy_ratio()}, {"pays", s.pays()}};
}

std::string r3(double v) {
    std::ostringstream o;
    o.precision(3);
    o << v;
    return o.str();
}

void print(const sim::EdgeResult& r, const arch::EdgeArch& a) {
    std::cout << "DeltaLLM vs dense attention on " << r.arch << " (" << arch::name(a.device) << ", " << a.clock_mhz << " MHz): " << r.model << ", "
              << r.layers << " layers, " << r.heads << " heads / " << r.kv_heads << " KV heads, head dim " << r.head_dim << ", " << r.element_type
              << ", batch " << r.batch << "\n";
    std::cout << "prefill " << r.prefill_tokens << " tokens; one decode step at context " << r.decode_context << "; window W = " << r.window << " keys\n";
    std::cout << "sparsity " << r3(r.element_sparsity) << " (" << r.sparsity_source << "); blocks of " << r.block_elements
              << ": skipped with probability " << r3(r.block_skip_probability) << " per query head, " << r3(r.kv_block_skip_probability)
              << " for a K block shared by " << r.heads / r.kv_heads << " heads\n\n";
    reports::Table t;
    t.columns = {"stage", "variant", "time us", "energy uJ", "MACs", "skipped MACs", "DRAM MB", "KV read MB", "state MB", "overhead cycles", "bound"};
    for (const sim::EdgeStage* s : {&r.prefill, &r.decode})
        for (const auto& [name, c] : {std::pair<const char*, const sim::EdgeCost*>{"dense", &s->dense}, {"deltallm", &s->delta}})
            t.add({s->stage, name, r3(c->time_s * 1e6), r3(c->energy_pj / 1e6), r3(c->macs), r3(c->skipped_macs),
                   r3((c->dram_read_bytes + c->dram_write_bytes) / 1e6), r3(c->kv_read_bytes / 1e6), r3(c->state_bytes / 1e6),
                   r3(c->overhead_cycles), c->bound});
    std::cout << t.text() << "\n";
    for (const sim::EdgeStage* s : {&r.prefill, &r.decode})
        std::cout << s->stage << ": speedup " << r3(s->speedup()) << "x, energy " << r3(s->energy_ratio()) << " of dense: "
                  << (s->pays() ? "sparsity pays" : "sparsity does not pay") << "\n";
}

std::vector<long long> block_list(const std::string& text) {
    std::vector<long long> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        std::size_t used = 0;
        long long v = 0;
        try {
            v = std::stoll(item, &used);
        } catch (const std::logic_error&) {
            used = 0;
        }
        if (used == 0 || used != item.size() || v < 1) bad("--sweep-block", "'" + item + "' is not a positive whole number of elements");
        out.push_back(v);
    }
    return out;
}

} // namespace

void add_edge_simulate_options(CLI::App* cmd, EdgeSimulateOptions& o) {
    const std::string group = edge_option_group;
    cmd->add_option("--sparsity", o.sparsity, "Edge: fraction of zero deltas (blocks then skip with probability s^G)")
        ->check(number_in(0.0, 1.0))->group(group);
    cmd->add_option("--sparsity-input", o.sparsity_input, "Edge: measure the sparsity instead, on synth:rho=R[,seed=S] or npy:Q,K,V")->group(group);
    cmd->add_option("--measure-shape", o.measure_shape, "Edge: extents of the synthetic measurement (default H=1,E=F=head dim,M=256)")->group(group);
    cmd->add_option("--decode-context", o.decode_context, "Edge: keys in the cache at the decode step (default: the sequence length)")
        ->check(positive_number())->group(group);
    cmd->add_option("--sweep-block", o.sweep_block, "Edge: skip-block sizes to compare, e.g. 1,2,4,8,16")->group(group);
}

int run_edge_simulate(const SpatialInputs& raw, const ResolvedSpatial& in, const EdgeSimulateOptions& o, Format format) {
    const arch::EdgeArch& a = *in.arch.edge();
    if (einsum::delta_tensors(in.cascade).empty())
        bad("--cascade", "the edge model compares dense attention with a delta cascade; '" + in.cascade.name + "' has no thresholded delta tensor");
    if ((o.sparsity >= 0) == !o.sparsity_input.empty())
        bad("--sparsity", "give exactly one of --sparsity S (a fraction of zero deltas) and --sparsity-input synth:rho=R|npy:Q,K,V");
    sim::EdgeWorkload w = workload(raw, in, o);
    auto run = [&](arch::EdgeArch arch_g) {
        sim::EdgeSparsityInput s{o.sparsity, std::nullopt, "given"};
        if (!o.sparsity_input.empty()) s = measure(in, o, w, arch_g.sparsity.block_elements);
        try {
            return sim::simulate_edge(arch_g, in.arch.name, w, s);
        } catch (const std::invalid_argument& e) {
            bad("--shape", e.what());
        }
    };
    sim::EdgeResult r = run(a);
    std::vector<sim::EdgeResult> sweep;
    if (!o.sweep_block.empty())
        for (long long g : block_list(o.sweep_block)) {
            arch::EdgeArch ag = a;
            ag.sparsity.block_elements = g;
            sweep.push_back(run(ag));
        }
    if (format == Format::json) {
        nlohmann::ordered_json j{{"arch", r.arch}, {"device", arch::name(a.device)}, {"model", r.model}, {"cascade", in.cascade.name},
                                 {"element_type", r.element_type}, {"heads", r.heads}, {"kv_heads", r.kv_heads}, {"head_dim", r.head_dim},
                                 {"value_dim", r.value_dim}, {"layers", r.layers}, {"batch", r.batch}, {"prefill_tokens", r.prefill_tokens},
                                 {"decode_context", r.decode_context}, {"window", r.window}, {"block_elements", r.block_elements},
                                 {"element_sparsity", r.element_sparsity}, {"block_skip_probability", r.block_skip_probability},
                                 {"kv_block_skip_probability", r.kv_block_skip_probability}, {"sparsity_source", r.sparsity_source},
                                 {"prefill", stage_json(r.prefill)}, {"decode", stage_json(r.decode)}};
        if (!sweep.empty()) {
            j["granularity"] = nlohmann::ordered_json::array();
            for (const auto& g : sweep)
                j["granularity"].push_back({{"block_elements", g.block_elements}, {"block_skip_probability", g.block_skip_probability},
                                            {"prefill_speedup", g.prefill.speedup()}, {"prefill_energy_ratio", g.prefill.energy_ratio()},
                                            {"decode_speedup", g.decode.speedup()}, {"decode_energy_ratio", g.decode.energy_ratio()}});
        }
        std::cout << j.dump(2) << "\n";
        return exit_ok;
    }
    reports::Table g;
    g.columns = {"block elements", "block skip prob", "prefill speedup", "prefill energy", "decode speedup", "decode energy"};
    for (const auto& x : sweep)
        g.add({std::to_string(x.block_elements), r3(x.block_skip_probability), r3(x.prefill.speedup()), r3(x.prefill.energy_ratio()),
               r3(x.decode.speedup()), r3(x.decode.energy_ratio())});
    // The CSV repeats the workload on every row, so that `einsim report` can put several devices,
    // models or sparsities side by side (reports/tradeoff_rows.h).
    reports::Table gc;
    gc.columns = {"arch", "model", "cascade", "element_type", "heads", "kv_heads", "head_dim", "layers", "prefill_tokens", "decode_context",
                  "window", "element_sparsity", "sparsity_source", "block_elements", "block_skip_probability", "kv_block_skip_probability",
                  "prefill_speedup", "prefill_energy_ratio", "decode_speedup", "decode_energy_ratio", "prefill_pays", "decode_pays"};
    for (const auto& x : sweep) {
        auto n = [](double v) { return reports::number(v); };
        gc.add({x.arch, x.model, in.cascade.name, x.element_type, std::to_string(x.heads), std::to_string(x.kv_heads), std::to_string(x.head_dim),
                std::to_string(x.layers), std::to_string(x.prefill_tokens), std::to_string(x.decode_context), std::to_string(x.window),
                n(x.element_sparsity), x.sparsity_source, std::to_string(x.block_elements), n(x.block_skip_probability),
                n(x.kv_block_skip_probability), n(x.prefill.speedup()), n(x.prefill.energy_ratio()), n(x.decode.speedup()),
                n(x.decode.energy_ratio()), x.prefill.pays() ? "true" : "false", x.decode.pays() ? "true" : "false"});
    }
    if (format == Format::csv) {
        if (sweep.empty()) {
            reports::Table t;
            t.columns = {"stage", "variant", "time_s", "energy_pj", "macs", "skipped_macs", "dram_read_bytes", "dram_write_bytes", "state_bytes", "bound"};
            for (const sim::EdgeStage* s : {&r.prefill, &r.decode})
                for (const auto& [name, c] : {std::pair<const char*, const sim::EdgeCost*>{"dense", &s->dense}, {"deltallm", &s->delta}})
                    t.add({s->stage, name, reports::number(c->time_s), reports::number(c->energy_pj), reports::number(c->macs),
                           reports::number(c->skipped_macs), reports::number(c->dram_read_bytes), reports::number(c->dram_write_bytes),
                           reports::number(c->state_bytes), c->bound});
            std::cout << t.csv();
        } else {
            std::cout << gc.csv();
        }
        return exit_ok;
    }
    print(r, a);
    if (!sweep.empty()) std::cout << "\nskip granularity (speedup = dense time / DeltaLLM time; energy = DeltaLLM / dense):\n" << g.text();
    return exit_ok;
}

} // namespace cli
