#include "cli/simulate_gpu.h"

#include <algorithm>
#include <cmath>
#include <iostream>

#include "cli/commands.h"
#include "cli/number_checks.h"
#include "einsum/input_error.h"
#include "mappings/gpu_legality.h"
#include "mappings/gpu_policies.h"
#include "mappings/work_layout.h"
#include "reports/gpu_result_json.h"
#include "reports/table.h"
#include "sim/gpu/gpu_mapper.h"
#include "sim/gpu/gpu_model.h"

namespace cli {

namespace {

bool has_rank(const einsum::Cascade& c, const std::string& r) {
    auto all = c.all_ranks();
    return std::find(all.begin(), all.end(), r) != all.end();
}

using reports::fixed;

std::optional<long long> bound(const einsum::ShapeBinding& b, const std::string& key) {
    auto it = b.values.find(key);
    if (it == b.values.end()) return std::nullopt;
    return static_cast<long long>(std::llround(it->second));
}

mappings::GpuMapping choose_mapping(const einsum::Cascade& c, const einsum::ShapeBinding& binding, const mappings::AttentionProblem& p,
                                    const arch::GpuArch& g, const GpuSimulateOptions& o, std::optional<sim::gpu::MapperChoice>& mapper) {
    long long splits = o.splits > 0 ? o.splits : bound(binding, "S").value_or(0);
    mappings::GpuMapping m;
    std::string d = o.decomposition;
    if (!o.policy.empty()) {
        if (d != "cascade")
            throw einsum::InputError({"--policy", 0, 0, o.policy}, "--policy " + o.policy + " chooses its own decomposition: drop --decomposition " + d);
        m = mappings::gpu_policy(o.policy, p, g);
        if (o.splits > 0 && m.decomposition == mappings::Decomposition::split_k) m.splits = o.splits;
        if (o.ctas_per_sm > 0 && m.decomposition == mappings::Decomposition::stream_k) m.ctas_per_sm = o.ctas_per_sm;
    } else {
        if (d == "cascade")
            d = c.name.find("lean") != std::string::npos ? "stream_k" : c.name.find("flashdecoding") != std::string::npos ? "split_k" : "data_parallel";
        if (d == "auto") {
            sim::gpu::MapperOptions opt;
            opt.splits = splits;
            opt.ctas_per_sm = o.ctas_per_sm;
            if (o.cluster > 0) opt.only = mappings::Decomposition::stream_k;  // --cluster: a stream-K mapping, clustered below
            mapper = sim::gpu::map_gpu(p, g, opt);
            m = mapper->mapping;
        } else if (d == "data_parallel") {
            m = mappings::fa2_mapping(p);
        } else if (d == "split_k") {
            m = mappings::flashdecoding_mapping(p, g, splits);
        } else {
            m = mappings::leanattention_mapping(p, g, o.ctas_per_sm);
            if (auto cs = bound(binding, "C"); cs && o.ctas_per_sm == 0) m.grid_ctas = *cs;
        }
    }
    if (o.tile_q > 0) m.tile_q = o.tile_q;
    if (o.tile_kv > 0) m.tile_kv = o.tile_kv;
    if (o.stages > 0) m.stages = o.stages;
    if (o.warps > 0) m.warps = o.warps;
    if (!o.gqa_pack.empty()) m.gqa_pack = o.gqa_pack == "on";
    // LeanAttention's grid depends on the tiles and the CTAs per SM: size it again after the overrides.
    if (m.name == "leanattention" && !(bound(binding, "C") && o.ctas_per_sm == 0 && o.policy.empty())) m.grid_ctas = mappings::leanattention_grid(p, m, g);
    // A decomposition's own parameter on another decomposition would be ignored: refuse it, as --cluster.
    if (o.splits > 0 && d != "auto" && m.decomposition != mappings::Decomposition::split_k)
        throw einsum::InputError({"--splits", 0, 0, std::to_string(o.splits)},
                                 "splits apply to split_k only (this mapping is " + std::string(mappings::name(m.decomposition)) + ")");
    if (o.ctas_per_sm > 0 && d != "auto" && m.decomposition != mappings::Decomposition::stream_k)
        throw einsum::InputError({"--ctas-per-sm", 0, 0, std::to_string(o.ctas_per_sm)},
                                 "CTAs per SM apply to stream_k only (this mapping is " + std::string(mappings::name(m.decomposition)) + ")");
    if (o.cluster > 0) {
        if (m.decomposition != mappings::Decomposition::stream_k)
            throw einsum::InputError({"--cluster", 0, 0, std::to_string(o.cluster)},
                                     "clusters apply to stream_k only (this mapping is " + std::string(mappings::name(m.decomposition)) + ")");
        // Each row block's CTAs are one cluster: the grid is row blocks x C (legality checks the rest).
        m.cluster = o.cluster;
        m.grid_ctas = mappings::work_layout(p, m).row_blocks * o.cluster;
    }
    return m;
}

void print_table(const sim::gpu::GpuResult& r, const mappings::GpuMapping& m, const arch::GpuArch& g,
                 const std::optional<sim::gpu::MapperChoice>& mapper) {
    std::cout << "cascade " << r.cascade << " on " << r.arch << " (GPU-SM model)\n";
    std::cout << "problem " << r.problem << "\n";
    std::cout << "mapping " << mappings::describe(m) << "\n";
    std::cout << "occupancy " << r.ctas_per_sm << " CTAs/SM (limited by " << r.occupancy_limit << "), grid " << r.grid_ctas << " CTAs\n";
    if (mapper) std::cout << "mapper: " << mapper->reason << " [" << mapper->evaluated << " mappings timed]\n";
    std::cout << "\n";
    reports::Table ph;
    ph.columns = {"phase", "time us", "share"};
    for (const auto& p : r.phases) ph.add({p.phase, fixed(p.time_us, 3), fixed(100 * p.time_us / r.time_us, 1) + "%"});
    std::cout << ph.text() << "\n";
    reports::Table ks;
    ks.columns = {"kernel", "ctas", "ctas/SM", "waves", "launch us", "span us", "SM busy"};
    for (const auto& k : r.kernels)
        ks.add({k.name, std::to_string(k.ctas), std::to_string(k.ctas_per_sm), std::to_string(k.waves), fixed(k.launch_us, 2),
                fixed(k.span_us, 3) + (k.extrapolated ? " (extrapolated)" : ""), fixed(100 * k.sm_busy_fraction, 1) + "%"});
    std::cout << ks.text() << "\n";
    std::cout << "time: " << fixed(r.time_us, 3) << " us; achieved " << fixed(r.achieved_gbps, 1) << " GB/s = " << fixed(100 * r.copy_fraction, 1)
              << "% of the copy bandwidth (" << reports::number(g.hbm.copy_bandwidth_gb_per_s) << " GB/s, "
              << (r.copy_bandwidth_measured ? "measured" : "estimated") << ")\n";
    std::cout << "binding: " << r.binding << "; SMs busy " << fixed(100 * r.sm_busy_fraction, 1) << "% of the time\n";
    std::cout << "HBM: " << reports::grouped(static_cast<long long>(r.hbm_read_bytes)) << " bytes read, "
              << reports::grouped(static_cast<long long>(r.hbm_write_bytes)) << " written; MMA FLOPs issued "
              << reports::number(r.issued_mma_flops) << " for " << reports::number(r.useful_flops) << " useful\n";
}

} // namespace

void add_gpu_simulate_options(CLI::App* cmd, GpuSimulateOptions& o) {
    const std::string group = gpu_option_group;
    cmd->add_option("--decomposition", o.decomposition,
                    "GPU work decomposition: cascade (the cascade's own), auto (the GPU mapper), data_parallel, split_k, stream_k")
        ->check(CLI::IsMember({"cascade", "auto", "data_parallel", "split_k", "stream_k"}))
        ->group(group);
    cmd->add_option("--policy", o.policy, "GPU: what a library would launch: fa2, sdpa, flashdecoding, leanattention")
        ->check(CLI::IsMember(mappings::gpu_policy_names()))
        ->group(group);
    cmd->add_option("--splits", o.splits, "GPU split_k: splits of the context (default: FlashAttention-2's heuristic)")->check(positive_number())->group(group);
    cmd->add_option("--ctas-per-sm", o.ctas_per_sm, "GPU stream_k: CTAs per SM of the persistent grid (default: as many as fit)")
        ->check(positive_number())
        ->group(group);
    cmd->add_option("--tile-q", o.tile_q, "GPU: query rows per CTA tile")->check(positive_number())->group(group);
    cmd->add_option("--tile-kv", o.tile_kv, "GPU: keys per tile")->check(positive_number())->group(group);
    cmd->add_option("--stages", o.stages, "GPU: K/V loads each CTA keeps in flight")->check(positive_number())->group(group);
    cmd->add_option("--warps", o.warps, "GPU: warps per CTA")->check(positive_number())->group(group);
    cmd->add_option("--cluster", o.cluster,
                    "GPU stream_k: run each row block's CTAs as one thread-block cluster of this many (2-16), folding through "
                    "distributed shared memory; the grid becomes row blocks x C")
        ->check(integer_in(2, 16))
        ->group(group);
    cmd->add_option("--gqa-pack", o.gqa_pack, "GPU: pack the query heads of a KV head into one CTA: on or off")
        ->check(CLI::IsMember({"on", "off"}))
        ->group(group);
}

mappings::AttentionProblem gpu_problem(const einsum::Cascade& c, einsum::ShapeBinding binding) {
    mappings::require_attention_ranks(c);
    // One rank, three spellings: given under two of them, neither silently wins.
    std::vector<std::string> spelled;
    for (const char* name : {"Hkv", "hkv", "HKV"})
        if (binding.values.contains(name)) spelled.push_back(name);
    if (spelled.size() > 1)
        throw einsum::InputError({binding.source, 0, 0, spelled[1]}, "the key/value heads are given twice, as " + spelled[0] + " and " + spelled[1]);
    std::optional<double> hkv;
    for (const char* alias : {"Hkv", "hkv"}) {
        auto it = binding.values.find(alias);
        if (it == binding.values.end()) continue;
        hkv = it->second;
        binding.values.erase(it);
    }
    if (hkv && has_rank(c, "HKV")) binding.values["HKV"] = *hkv;
    if (!has_rank(c, "HKV")) {
        if (auto it = binding.values.find("HKV"); it != binding.values.end()) {
            hkv = it->second;
            binding.values.erase(it);
        }
    }
    einsum::Shape s = einsum::resolve_shape(c, binding);
    mappings::AttentionProblem p = mappings::attention_problem(c, s);
    if (hkv && !has_rank(c, "HKV")) {
        p.Hkv = static_cast<std::int64_t>(std::llround(*hkv));
        if (p.Hkv <= 0 || p.H % p.Hkv != 0)
            throw einsum::InputError({binding.source, 0, 0, "Hkv"}, "Hkv=" + std::to_string(p.Hkv) + " must divide H=" + std::to_string(p.H));
    }
    return p;
}

int run_gpu_simulate(const ResolvedSpatial& in, const GpuSimulateOptions& o, Format format) {
    const arch::GpuArch& g = *in.arch.gpu();
    mappings::AttentionProblem p = gpu_problem(in.cascade, in.shape);
    std::optional<sim::gpu::MapperChoice> mapper;
    mappings::GpuMapping m = choose_mapping(in.cascade, in.shape, p, g, o, mapper);
    sim::gpu::GpuResult r = sim::gpu::simulate_gpu(p, m, g, in.arch.name, in.cascade.name);
    if (format == Format::json) {
        nlohmann::ordered_json j = reports::to_json(r);
        j["shape"] = {{"B", p.B}, {"H", p.H}, {"Hkv", p.Hkv}, {"E", p.E}, {"F", p.F}, {"M", p.M}, {"P", p.P}};
        j["gpu_mapping"] = {{"name", m.name},       {"decomposition", mappings::name(m.decomposition)},
                            {"splits", m.splits},   {"ctas_per_sm", m.ctas_per_sm},
                            {"grid_ctas", m.grid_ctas}, {"cluster", m.cluster}, {"tile_q", m.tile_q},
                            {"tile_kv", m.tile_kv}, {"stages", m.stages},
                            {"warps", m.warps},     {"gqa_pack", m.gqa_pack}};
        j["copy_bandwidth_gbps"] = g.hbm.copy_bandwidth_gb_per_s;
        if (mapper) {
            nlohmann::ordered_json cands = nlohmann::ordered_json::array();
            for (const auto& c : mapper->best_per_decomposition)
                cands.push_back({{"decomposition", mappings::decomposition_text(c.mapping)},
                                 {"mapping", mappings::describe(c.mapping)},
                                 {"time_us", c.time_us},
                                 {"binding", c.binding}});
            j["mapper"] = {{"reason", mapper->reason}, {"evaluated", mapper->evaluated}, {"best_per_decomposition", cands}};
        }
        std::cout << j.dump(2) << "\n";
    } else if (format == Format::csv) {
        reports::Table t;
        t.columns = {"cascade", "arch", "mapping", "B", "H", "Hkv", "E", "F", "M", "P"};
        for (const auto& c : reports::gpu_metric_columns()) t.columns.push_back(c);
        std::vector<std::string> row{r.cascade, r.arch, r.mapping};
        for (auto v : {p.B, p.H, p.Hkv, p.E, p.F, p.M, p.P}) row.push_back(std::to_string(v));
        for (const auto& v : reports::gpu_metric_values(r)) row.push_back(v);
        t.add(row);
        std::cout << t.csv();
    } else {
        print_table(r, m, g, mapper);
    }
    return exit_ok;
}

} // namespace cli
