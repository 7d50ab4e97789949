#include "cli/gpu_job.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <regex>

#include "cli/heads_option.h"
#include "einsum/input_error.h"
#include "mappings/fa2_split_heuristic.h"
#include "mappings/gpu_policies.h"
#include "sim/gpu/gpu_mapper.h"

namespace cli {

namespace {

constexpr long long runner_max_splits = 128;  // cuda/attention_launch.cu passes 128 to the rule
constexpr long long runner_kv_stages = 2;     // cuda/launch_plan.h kDefaultKvStages
constexpr long long runner_max_kv_stages = 4; // cuda/attention_layout.h kMaxKvStages
constexpr long long runner_smem_budget = 113 * 1024;          // kPipelineSmemBudget
constexpr long long runner_smem_budget_one_cta = 226 * 1024;  // kPipelineSmemBudgetOneCta
constexpr long long runner_state_pad = 8;                     // kStateRowPadFloats
constexpr long long runner_fold_chunk = 16;                   // kFoldChunk

long long ceil_div(long long a, long long b) { return (a + b - 1) / b; }

std::string context_label(long long m) { return m % 1024 == 0 ? std::to_string(m / 1024) + "k" : std::to_string(m); }

const char* short_name(const std::string& d) {
    if (d == "data_parallel") return "dp";
    if (d == "split_k") return "sk";
    return "st";
}

// A stream-K job's tile, warps, CTAs an SM and grid: of stream_k_cta_shapes(), the one the GPU-SM
// model times fastest on g with its best grid, timed at the K/V stages the runner will pick.
void choose_stream_k_mapping(GpuJob& j, const arch::GpuArch& g, long long kv_stages, bool clusters) {
    std::optional<GpuJob> best;
    double best_us = 0;
    for (const StreamKCtaShape& s : stream_k_cta_shapes()) {
        GpuJob c = j;
        c.tile_n = s.tile_n, c.warps = s.warps, c.ctas_per_sm = s.ctas_per_sm, c.grid_ctas = 0, c.cluster = 0;
        RunnerChoices ran;
        ran.kv_stages = runner_kv_stages_for(c, kv_stages);
        const auto pick = sim::gpu::fastest_stream_k_grid(c.problem(), runner_mapping(c, ran, g, "gpu-jobs"), g, clusters);
        if (!pick) continue;
        c.grid_ctas = pick->grid_ctas;
        c.cluster = pick->cluster;
        if (!best || pick->time_us < best_us) best = c, best_us = pick->time_us;
    }
    if (!best)
        throw einsum::InputError({"--stream-k-tiles", 0, 0, "mapper"}, "no stream-K CTA shape of stream_k_cta_shapes() is legal for " + j.problem().str() + " on this GPU");
    j = *best;
}

} // namespace

const std::vector<StreamKCtaShape>& stream_k_cta_shapes() {
    static const std::vector<StreamKCtaShape> shapes = [] {
        std::vector<StreamKCtaShape> v;
        for (long long tile : {64, 128})
            for (long long warps : {2, 4, 8})
                for (long long ctas = 1; ctas <= 4; ++ctas)
                    if (tile / warps == 16 || tile / warps == 32) v.push_back({tile, warps, ctas});
        return v;
    }();
    return shapes;
}

long long runner_kv_stages_for(const GpuJob& j, long long max_kv_stages) {
    const long long rows_cta = j.kernel == "decode" ? ceil_div(j.group() * j.P, 16) * 16 : j.tile_m;
    const long long warps_m = std::max(1LL, std::min(j.warps, rows_cta / 16));
    const long long warps_n = std::max(1LL, j.warps / warps_m);
    const long long q_bytes = rows_cta * (j.E + 8) * 2;
    const long long state_bytes =
        4 * (warps_n * rows_cta * (j.F + runner_state_pad) + 2 * warps_n * rows_cta + 3 * rows_cta + 2 * runner_fold_chunk * rows_cta);
    // cuda/attention_layout.h stream_k_smem_budget: the SM's 228 KiB shared among the CTAs an SM.
    const long long budget = j.decomposition != "stream_k" || j.ctas_per_sm < 1 ? runner_smem_budget
                             : j.ctas_per_sm == 1                               ? runner_smem_budget_one_cta
                                                                                : 228 * 1024 / j.ctas_per_sm - 1024;
    for (long long stages = std::min(max_kv_stages, runner_max_kv_stages); stages > 2; --stages)
        if (q_bytes + std::max(stages * j.tile_n * (j.E + j.F) * 2, state_bytes) <= budget) return stages;
    return 2;
}

mappings::AttentionProblem GpuJob::problem() const {
    mappings::AttentionProblem p;
    p.B = B, p.H = H, p.Hkv = Hkv, p.E = E, p.F = F, p.M = M, p.P = P;
    p.element_bytes = 2; // fp16 and bf16
    return p;
}

const std::vector<std::string>& gpu_job_columns() {
    static const std::vector<std::string> cols = {"job_id", "kernel", "decomposition", "dtype", "B",      "H",           "Hkv",  "E",
                                                  "F",      "M",      "P",             "tile_m", "tile_n", "splits", "ctas_per_sm", "warps",
                                                  "grid_ctas", "cluster"};
    return cols;
}

const std::vector<std::string>& gpu_job_optional_columns() {
    static const std::vector<std::string> cols = {"grid_ctas", "cluster"};
    return cols;
}

std::vector<std::string> gpu_job_values(const GpuJob& j) {
    std::vector<std::string> v{j.job_id, j.kernel, j.decomposition, j.dtype};
    for (long long x : {j.B, j.H, j.Hkv, j.E, j.F, j.M, j.P, j.tile_m, j.tile_n, j.splits, j.ctas_per_sm, j.warps, j.grid_ctas, j.cluster})
        v.push_back(std::to_string(x));
    return v;
}

GpuJobList decode_suite_jobs(const GpuJobsOptions& o) {
    if (o.dtype != "fp16" && o.dtype != "bf16") throw einsum::InputError({"--dtype", 0, 0, o.dtype}, "expected fp16 or bf16, got '" + o.dtype + "'");
    if (o.stream_k_grid != "full" && o.stream_k_grid != "leanattention" && o.stream_k_grid != "mapper")
        throw einsum::InputError({"--stream-k-grid", 0, 0, o.stream_k_grid},
                                 "expected full, leanattention or mapper, got '" + o.stream_k_grid + "'");
    if (o.stream_k_grid != "full" && !o.gpu)
        throw einsum::InputError({"--stream-k-grid", 0, 0, o.stream_k_grid}, o.stream_k_grid + " sizes the grid for a GPU: name one with --arch");
    if (o.stream_k_tiles != "fixed" && o.stream_k_tiles != "mapper")
        throw einsum::InputError({"--stream-k-tiles", 0, 0, o.stream_k_tiles}, "expected fixed or mapper, got '" + o.stream_k_tiles + "'");
    if (o.stream_k_tiles == "mapper" && o.stream_k_grid != "mapper")
        throw einsum::InputError({"--stream-k-tiles", 0, 0, o.stream_k_tiles},
                                 "mapper chooses the grid with the tiles: use it with --stream-k-grid mapper");
    if (o.kv_stages < 2 || o.kv_stages > runner_max_kv_stages)
        throw einsum::InputError({"--kv-stages", 0, 0, std::to_string(o.kv_stages)}, "expected 2.." + std::to_string(runner_max_kv_stages));
    for (const auto& d : o.decompositions)
        if (d != "data_parallel" && d != "split_k" && d != "stream_k")
            throw einsum::InputError({"--decompositions", 0, 0, d}, "unknown decomposition '" + d + "' (expected data_parallel, split_k, stream_k)");
    // The runner's compiled range (cuda/README.md): E = F in {64, 128, 256}, tiles of a multiple of 16
    // keys, 1..16 warps a CTA. A job outside it would only come back status=error.
    for (long long e : o.grid.head_dims)
        if (e != 64 && e != 128 && e != 256)
            throw einsum::InputError({"--head-dim", 0, 0, std::to_string(e)}, "einsim-gpu is compiled for E = F in {64, 128, 256}, got " + std::to_string(e));
    if (o.tile_n < 16 || o.tile_n % 16 != 0)
        throw einsum::InputError({"--tile-kv", 0, 0, std::to_string(o.tile_n)}, "expected a multiple of 16 keys, got " + std::to_string(o.tile_n));
    if (o.warps < 1 || o.warps > 16)
        throw einsum::InputError({"--warps", 0, 0, std::to_string(o.warps)}, "expected 1..16 warps a CTA, got " + std::to_string(o.warps));
    if (!(o.max_gib > 0) || !std::isfinite(o.max_gib))
        throw einsum::InputError({"--max-gib", 0, 0, ""}, "expected a positive finite number of GiB");
    // Each value once: a repeated one would write the same job_id twice (einsim-gpu refuses the file).
    refuse_repeated_grid_values(o.grid);
    refuse_repeats(o.decompositions, "--decompositions");
    GpuJobList list;
    const double max_bytes = o.max_gib * double(1ull << 30);
    for (long long e : o.grid.head_dims)
        for (const auto& hh : o.grid.heads) {
            auto [h, hkv] = parse_heads(hh);
            for (long long b : o.grid.batches)
                for (long long m : o.grid.contexts) {
                    GpuJob base;
                    base.kernel = "decode";
                    base.dtype = o.dtype;
                    base.B = b, base.H = h, base.Hkv = hkv, base.E = e, base.F = e, base.M = m, base.P = 1;
                    base.tile_m = 0, base.tile_n = o.tile_n, base.warps = o.warps;
                    std::string stem = "b" + std::to_string(b) + "_h" + std::to_string(h) + "-" + std::to_string(hkv) + "_e" + std::to_string(e) +
                                       "_m" + context_label(m);
                    double bytes = double(base.compulsory_bytes());
                    if (bytes > max_bytes) {
                        char gib[32];
                        std::snprintf(gib, sizeof gib, "%.1f", bytes / double(1ull << 30));
                        list.left_out.push_back(stem + ": Q, K, V and O take " + gib + " GiB, above --max-gib");
                        continue;
                    }
                    for (const auto& d : o.decompositions) {
                        GpuJob j = base;
                        j.decomposition = d;
                        j.job_id = stem + "_" + short_name(d);
                        j.splits = d == "split_k" ? o.splits : 0;
                        j.ctas_per_sm = d == "stream_k" ? o.ctas_per_sm : 1;
                        if (d == "stream_k" && o.stream_k_grid == "leanattention")
                            j.grid_ctas = mappings::leanattention_grid(j.problem(), runner_mapping(j, {}, *o.gpu, "gpu-jobs"), *o.gpu);
                        if (d == "stream_k" && o.stream_k_tiles == "mapper") {
                            choose_stream_k_mapping(j, *o.gpu, o.kv_stages, o.stream_k_clusters);
                        } else if (d == "stream_k" && o.stream_k_grid == "mapper") {
                            RunnerChoices ran;
                            ran.kv_stages = runner_kv_stages_for(j, o.kv_stages);
                            const mappings::GpuMapping m = runner_mapping(j, ran, *o.gpu, "gpu-jobs");
                            const auto pick = sim::gpu::fastest_stream_k_grid(j.problem(), m, *o.gpu, o.stream_k_clusters);
                            if (!pick)
                                throw einsum::InputError({"--stream-k-grid", 0, 0, "mapper"},
                                                         "no legal stream-K grid for " + mappings::describe(m) + " on " + j.problem().str());
                            j.grid_ctas = pick->grid_ctas;
                            j.cluster = pick->cluster;
                        }
                        list.jobs.push_back(j);
                    }
                }
        }
    return list;
}

std::string jobs_csv(const GpuJobList& list, const std::string& command_line) {
    std::string s = "# einsim-gpu jobs, written by: " + command_line + "\n";
    for (const auto& l : list.left_out) s += "# left out: " + l + "\n";
    const auto& cols = gpu_job_columns();
    for (std::size_t i = 0; i < cols.size(); ++i) s += (i ? "," : "") + cols[i];
    s += "\n";
    for (const auto& j : list.jobs) {
        auto v = gpu_job_values(j);
        for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + v[i];
        s += "\n";
    }
    return s;
}

RunnerChoices parse_runner_message(const std::string& message) {
    RunnerChoices c;
    std::smatch m;
    static const std::regex splits(R"(splits=\d+ -> (\d+))"), grid(R"(grid (\d+) CTAs)"), stages(R"(stages (\d+))"),
        cluster(R"(clusters of (\d+) CTAs a unit)"), unclustered(R"(run unclustered|not clustered)");
    if (std::regex_search(message, m, splits)) c.splits = std::stoll(m[1]);
    if (std::regex_search(message, m, grid)) c.grid_ctas = std::stoll(m[1]);
    if (std::regex_search(message, m, stages)) c.kv_stages = std::stoll(m[1]);
    if (std::regex_search(message, m, cluster)) c.cluster = std::stoll(m[1]);
    else if (std::regex_search(message, m, unclustered)) c.cluster = -1;
    return c;
}

bool modelled_decomposition(const std::string& d) {
    return d == "data_parallel" || d == "split_k" || d == "stream_k" || d == "torch_flash";
}

mappings::GpuMapping runner_mapping(const GpuJob& j, const RunnerChoices& ran, const arch::GpuArch& g, const std::string& where) {
    mappings::AttentionProblem p = j.problem();
    if (j.decomposition == "torch_flash") return mappings::sdpa_flash_mapping(p, g);
    auto d = mappings::parse_decomposition(j.decomposition);
    if (!d || j.is_pytorch_backend())
        throw einsum::InputError({where, 0, 0, "decomposition"}, "no GPU-SM model for decomposition '" + j.decomposition +
                                                                     "' (modelled: data_parallel, split_k, stream_k, torch_flash)");
    mappings::GpuMapping m;
    m.name = "einsim-gpu";
    m.decomposition = *d;
    const long long rows_per_unit = j.group() * j.P;
    long long rows_cta = j.kernel == "decode" ? ceil_div(rows_per_unit, 16) * 16 : j.tile_m;
    m.tile_q = rows_cta;
    m.tile_kv = j.tile_n;
    m.warps = j.warps;
    // Warps along the rows: one per 16-row tile (the others split the keys), or all of them when
    // there are fewer warps than row tiles (prefill: two row tiles a warp).
    long long row_tiles = std::max(1LL, rows_cta / 16);
    long long warps_m = std::min(j.warps, row_tiles);
    m.warps_kv = std::max(1LL, j.warps / std::max(1LL, warps_m));
    const long long kv_stages = ran.kv_stages > 0 ? ran.kv_stages : runner_kv_stages;
    m.stages = 2 * (kv_stages - 1); // K and V of the next kv_stages - 1 tiles in flight
    m.gqa_pack = j.kernel == "decode" && j.H > j.Hkv;
    const long long blocks = j.B * j.Hkv * ceil_div(rows_per_unit, rows_cta);
    const long long tiles = ceil_div(j.M, j.tile_n);
    if (m.decomposition == mappings::Decomposition::split_k) {
        long long s = ran.splits > 0 ? ran.splits : j.splits;
        if (s <= 0) s = mappings::fa2_num_splits(blocks, 2 * g.sm_count, tiles, runner_max_splits);
        m.splits = s;
        m.combine_rows = rows_cta; // einsim-gpu's combine: one CTA a row block
    }
    if (m.decomposition == mappings::Decomposition::stream_k) {
        m.ctas_per_sm = j.ctas_per_sm;
        // What the runner reports it launched, else the job's grid, else its CTAs per SM on every SM
        // (the runner clamps the same way: to the tiles and to what fits at once).
        const long long want = j.grid_ctas > 0 ? j.grid_ctas : j.ctas_per_sm * g.sm_count;
        m.grid_ctas = ran.grid_ctas > 0 ? ran.grid_ctas : std::min(want, blocks * tiles);
        // Clusters as the runner reports it ran them (einsim-gpu run --sk-cluster on may cluster a
        // job whose column says 0, --sk-cluster off runs one whose column says 8 unclustered),
        // else as the job asks.
        m.cluster = ran.cluster > 0 ? ran.cluster : ran.cluster < 0 ? 0 : j.cluster;
    }
    return m;
}

} // namespace cli
