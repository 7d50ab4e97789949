// einsim gpu-jobs: writes the jobs CSV that the einsim-gpu runner (and cuda/sdpa_peer.py) measure,
// for the decode suite: every (E, H/Hkv, B, M) point of the grid with each decomposition.
#include <algorithm>
#include <iostream>
#include <optional>

#include "cli/arch_overrides.h"
#include "cli/commands.h"
#include "cli/gpu_job.h"
#include "cli/number_checks.h"
#include "reports/report_files.h"
#include "einsum/input_error.h"
#include "workloads/library.h"

namespace cli {
namespace {

struct GpuJobsCommandOptions {
    GpuJobsOptions jobs;
    std::string suite = "decode";
    std::string arch = "h200";  // the GPU LeanAttention's grid is sized for
    std::string out;
    std::string clusters = "on";  // --stream-k-clusters
    std::vector<std::string> given; // the options given on the command line
};

// Options that would not change the file are refused, naming what they need.
void refuse_unused_options(const GpuJobsCommandOptions& o) {
    auto given = [&](const char* name) { return std::find(o.given.begin(), o.given.end(), name) != o.given.end(); };
    const auto& d = o.jobs.decompositions;
    auto wants = [&](const char* x) { return d.empty() || std::find(d.begin(), d.end(), x) != d.end(); };
    auto refuse = [](const char* option, const std::string& why) { throw einsum::InputError({option, 0, 0, ""}, std::string(option) + " " + why); };
    const bool grid_mapper = o.jobs.stream_k_grid == "mapper", tiles_mapper = o.jobs.stream_k_tiles == "mapper";
    if (tiles_mapper && !grid_mapper) return; // itself an error (decode_suite_jobs says why)
    if (given("--splits") && !wants("split_k")) refuse("--splits", "applies to split_k jobs, and --decompositions has none");
    if (given("--ctas-per-sm") && !wants("stream_k")) refuse("--ctas-per-sm", "applies to stream_k jobs, and --decompositions has none");
    if (given("--ctas-per-sm") && tiles_mapper) refuse("--ctas-per-sm", "is chosen by --stream-k-tiles mapper");
    const bool only_stream_k = !d.empty() && std::all_of(d.begin(), d.end(), [](const std::string& x) { return x == "stream_k"; });
    for (const char* option : {"--tile-kv", "--warps"})
        if (given(option) && tiles_mapper && only_stream_k) refuse(option, "is chosen by --stream-k-tiles mapper for stream_k, the only decomposition asked for");
    if (given("--stream-k-clusters") && !grid_mapper) refuse("--stream-k-clusters", "applies with --stream-k-grid mapper");
    if (given("--kv-stages") && !grid_mapper) refuse("--kv-stages", "sets the K/V depth the mapper times: it applies with --stream-k-grid mapper");
    if (given("--arch") && o.jobs.stream_k_grid == "full") refuse("--arch", "sizes the stream-K grid for --stream-k-grid leanattention or mapper; full writes 0");
}

std::string command_line(const GpuJobsCommandOptions& o) {
    auto list = [](const auto& xs) {
        std::string s;
        for (const auto& x : xs) {
            if (!s.empty()) s += ",";
            if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::string>) s += x;
            else s += std::to_string(x);
        }
        return s;
    };
    const auto& j = o.jobs;
    char gib[32];
    std::snprintf(gib, sizeof gib, "%g", j.max_gib);
    return "einsim gpu-jobs --suite " + o.suite + " --contexts " + list(j.grid.contexts) + " --batch " + list(j.grid.batches) + " --heads " +
           list(j.grid.heads) + " --head-dim " + list(j.grid.head_dims) + " --decompositions " + list(j.decompositions) + " --dtype " + j.dtype +
           " --tile-kv " + std::to_string(j.tile_n) + " --warps " + std::to_string(j.warps) + " --splits " + std::to_string(j.splits) +
           " --ctas-per-sm " + std::to_string(j.ctas_per_sm) + " --stream-k-grid " + j.stream_k_grid +
           " --stream-k-tiles " + j.stream_k_tiles + " --stream-k-clusters " + o.clusters + " --kv-stages " + std::to_string(j.kv_stages) +
           (j.stream_k_grid != "full" ? " --arch " + o.arch : "") + " --max-gib " + gib;
}

int run_gpu_jobs(const GpuJobsCommandOptions& o) {
    refuse_unused_options(o);
    GpuJobsOptions jobs = o.jobs;
    jobs.stream_k_clusters = o.clusters == "on";
    std::optional<arch::Arch> a;
    if (jobs.stream_k_grid != "full") {
        a = load_arch_with_overrides(o.arch, {});
        if (!a->gpu()) throw einsum::InputError({"--arch", 0, 0, o.arch}, "--stream-k-grid " + jobs.stream_k_grid + " needs a GPU architecture (a100, h100, h200); " + a->name + " is not one");
        jobs.gpu = a->gpu();
    }
    GpuJobList list = decode_suite_jobs(jobs);
    if (list.jobs.empty())
        throw einsum::InputError({"--max-gib", 0, 0, ""}, "every point is above --max-gib (" + list.left_out.front() + "): no job to write");
    std::string text = jobs_csv(list, command_line(o));
    if (o.out.empty()) {
        std::cout << text;
        return exit_ok;
    }
    reports::write_files_atomically({{o.out, text}});
    std::cout << "wrote " << o.out << ": " << list.jobs.size() << " jobs";
    if (!list.left_out.empty()) std::cout << ", " << list.left_out.size() << " points left out (see its comment lines)";
    std::cout << "\n";
    return exit_ok;
}

} // namespace

void add_gpu_jobs_command(CLI::App& app, int& result) {
    auto o = std::make_shared<GpuJobsCommandOptions>();
    CLI::App* cmd = app.add_subcommand("gpu-jobs", "Write the jobs CSV that einsim-gpu measures (cuda/README.md): the decode suite");
    cmd->add_option("--suite", o->suite, "Which suite: decode (P = 1, E = F)")->check(CLI::IsMember({"decode"}))->default_str("decode");
    cmd->add_option("--contexts", o->jobs.grid.contexts, "Context lengths M (default 1024, 2048, ..., 524288)")->delimiter(',')->check(integer_in(1, max_extent));
    cmd->add_option("--batch", o->jobs.grid.batches, "Batch sizes B (default 1,4,16)")->delimiter(',')->check(integer_in(1, max_extent));
    cmd->add_option("--heads", o->jobs.grid.heads, "Query/key-value heads H/Hkv (default 32/32,64/8)")->delimiter(',');
    cmd->add_option("--head-dim", o->jobs.grid.head_dims, "Head dimensions E = F (default 64,128)")->delimiter(',')->check(integer_in(1, max_extent));
    cmd->add_option("--decompositions", o->jobs.decompositions, "data_parallel, split_k, stream_k (default all three)")->delimiter(',');
    cmd->add_option("--dtype", o->jobs.dtype, "fp16 or bf16")->default_str("fp16");
    cmd->add_option("--tile-kv", o->jobs.tile_n, "Keys a K/V tile (the runner's tile_n)")->check(positive_number())->default_str("64");
    cmd->add_option("--warps", o->jobs.warps, "Warps a CTA")->check(positive_number())->default_str("4");
    cmd->add_option("--splits", o->jobs.splits, "split_k: splits (0: FlashAttention-2's heuristic)")->check(non_negative_number())->default_str("0");
    cmd->add_option("--ctas-per-sm", o->jobs.ctas_per_sm, "stream_k: CTAs per SM of the persistent grid")->check(positive_number())->default_str("2");
    cmd->add_option("--stream-k-grid", o->jobs.stream_k_grid,
                    "stream_k: full (grid_ctas 0: ctas-per-sm x SMs), leanattention (LeanAttention's grid sizing, for --arch) "
                    "or mapper (the grid the GPU-SM model times fastest on --arch: every slot, LeanAttention's, or one under "
                    "which no CTA straddles two heads)")
        ->check(CLI::IsMember({"full", "leanattention", "mapper"}))
        ->default_str("full");
    cmd->add_option("--stream-k-tiles", o->jobs.stream_k_tiles,
                    "stream_k: fixed (--tile-kv, --warps, --ctas-per-sm) or mapper (the tile, warps and CTAs an SM the GPU-SM model "
                    "times fastest on --arch, each with its best grid: 64- or 128-key tiles, 16 or 32 keys a warp, 1-4 CTAs an SM; "
                    "with --stream-k-grid mapper)")
        ->check(CLI::IsMember({"fixed", "mapper"}))
        ->default_str("fixed");
    cmd->add_option("--stream-k-clusters", o->clusters,
                    "stream_k with --stream-k-grid mapper: on (a grid that gives every row block 2..16 equal ranges may also run as "
                    "thread-block clusters, the `cluster` column, where legal on --arch and timed faster) or off")
        ->check(CLI::IsMember({"on", "off"}))
        ->default_str("on");
    cmd->add_option("--kv-stages", o->jobs.kv_stages,
                    "The einsim-gpu --kv-stages the jobs will run with: the mapper times the K/V stages the runner then picks")
        ->check(integer_in(2, 4))
        ->default_str("2");
    cmd->add_option("--arch", o->arch, "The GPU preset (or TOML file) --stream-k-grid leanattention or mapper sizes for")->default_str("h200");
    cmd->add_option("--max-gib", o->jobs.max_gib, "Leave out points whose Q, K, V and O exceed this many GiB")->check(positive_number())->default_str("32");
    cmd->add_option("-o,--out", o->out, "Write the CSV here (atomically) instead of stdout");
    cmd->callback([o, cmd, &result] {
        for (const CLI::Option* opt : cmd->get_options())
            if (opt->count() > 0) o->given.push_back(opt->get_name());
        result = run_gpu_jobs(*o);
    });
}

} // namespace cli
