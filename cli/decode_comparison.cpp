#include "cli/decode_comparison.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cli/heads_option.h"
#include "einsum/input_error.h"
#include "mappings/gpu_policies.h"
#include "sim/gpu/gpu_model.h"
#include "reports/table.h"

namespace cli {

namespace {

SpeedupStats stats(const std::vector<std::pair<double, std::string>>& xs) {
    SpeedupStats s;
    if (xs.empty()) return s;
    double log_sum = 0;
    s.min = xs[0].first;
    for (const auto& [x, where] : xs) {
        s.mean += x;
        log_sum += std::log(x);
        if (x > s.max) s.max = x, s.argmax = where;
        s.min = std::min(s.min, x);
    }
    s.points = static_cast<long long>(xs.size());
    s.mean /= double(xs.size());
    s.geomean = std::exp(log_sum / double(xs.size()));
    return s;
}

// Copy bandwidth fraction above which FlashDecoding counts as streaming at the copy bandwidth.
constexpr double at_copy_bandwidth = 0.9;

void fill_bounds(DecodeRow& r, const arch::GpuArch& g) {
    const auto& res = r.result;
    r.slots = res.ctas_per_sm * g.sm_count;
    r.floor_us = g.overheads.launch_latency_us + double(res.compulsory_bytes) / (g.hbm.copy_bandwidth_gb_per_s * 1e3);
    r.headroom = r.floor_us > 0 ? res.time_us / r.floor_us : 0;
    r.second_kernel_us = 0;
    for (std::size_t k = 1; k < res.kernels.size(); ++k) r.second_kernel_us += res.kernels[k].launch_us + res.kernels[k].span_us;
}

std::string fixed2(double v) { return reports::fixed(v, 2); }

// Why this kernel is (or is not) faster than FlashDecoding at this point.
void compare_with_flashdecoding(DecodeRow& r, const DecodeRow& fd) {
    r.saved_us = fd.result.time_us - r.result.time_us;
    r.saved_combine_us = fd.second_kernel_us - r.second_kernel_us;
    r.saved_split_us = r.saved_us - r.saved_combine_us;
    const std::string grid = std::to_string(fd.result.grid_ctas) + " CTAs on " + std::to_string(fd.slots) + " slots";
    if (fd.headroom < 1.0 / at_copy_bandwidth)
        r.vs_flashdecoding = "FD at " + std::to_string(int(std::lround(100 * fd.result.copy_fraction))) + "% of copy bw";
    else if (r.saved_us <= 0)
        r.vs_flashdecoding = "no gain (FD " + grid + ")";
    else if (r.saved_combine_us >= r.saved_split_us)
        r.vs_flashdecoding = "FD's 2nd kernel " + fixed2(r.saved_combine_us) + " us";
    else
        r.vs_flashdecoding = "FD's grid: " + grid;
}

} // namespace

DecodeGrid DecodeGrid::defaults() {
    DecodeGrid g;
    for (long long m = 1024; m <= 524288; m *= 2) g.contexts.push_back(m);
    g.batches = {1, 4, 16};
    g.heads = {"32/32", "64/8"};
    g.head_dims = {64, 128};
    g.kernels = {"fa2", "flashdecoding", "leanattention"};
    return g;
}

void refuse_repeated_grid_values(const DecodeGrid& grid) {
    refuse_repeats(grid.contexts, "--contexts");
    refuse_repeats(grid.batches, "--batch");
    refuse_repeats(grid.head_dims, "--head-dim");
    refuse_repeats(grid.kernels, "--kernels");
    std::vector<std::pair<long long, long long>> heads;
    for (const auto& hh : grid.heads) heads.push_back(parse_heads(hh));
    for (std::size_t i = 0; i < heads.size(); ++i)
        for (std::size_t k = 0; k < i; ++k)
            if (heads[i] == heads[k])
                throw einsum::InputError({"--heads", 0, 0, grid.heads[i]}, "--heads lists " + grid.heads[i] + " twice (as " + grid.heads[k] + ")");
}

std::vector<DecodeRow> run_decode_comparison(const arch::GpuArch& g, const std::string& arch_name, const DecodeGrid& grid) {
    refuse_repeated_grid_values(grid);
    for (const auto& k : grid.kernels)
        if (k != "fa2" && k != "flashdecoding" && k != "leanattention" && k != "sdpa")
            throw einsum::InputError({"--kernels", 0, 0, k}, "unknown kernel '" + k + "' (expected fa2, flashdecoding, leanattention, sdpa)");
    std::vector<DecodeRow> rows;
    for (long long e : grid.head_dims)
        for (const auto& hh : grid.heads)
            for (long long b : grid.batches)
                for (long long m : grid.contexts) {
                    auto [h, hkv] = parse_heads(hh);
                    mappings::AttentionProblem p;
                    p.B = b, p.H = h, p.Hkv = hkv, p.E = e, p.F = e, p.M = m, p.P = 1;
                    auto time_of = [&](const std::string& kernel, DecodeRow& row) {
                        row.kernel = kernel;
                        row.problem = p;
                        row.mapping = kernel == "sdpa" ? mappings::sdpa_flash_mapping(p, g) : mappings::gpu_policy(kernel, p, g);
                        row.result = sim::gpu::simulate_gpu(p, row.mapping, g, arch_name, "decode");
                        fill_bounds(row, g);
                    };
                    DecodeRow fa2, fd;
                    time_of("fa2", fa2);
                    time_of("flashdecoding", fd);
                    for (const auto& k : grid.kernels) {
                        DecodeRow row;
                        if (k == "fa2") row = fa2;
                        else if (k == "flashdecoding") row = fd;
                        else time_of(k, row);
                        row.speedup_vs_fa2 = fa2.result.time_us / row.result.time_us;
                        row.speedup_vs_flashdecoding = fd.result.time_us / row.result.time_us;
                        if (k != "fa2" && k != "flashdecoding") compare_with_flashdecoding(row, fd);
                        rows.push_back(row);
                    }
                }
    return rows;
}

std::vector<DecodeSummary> summarize(const std::vector<DecodeRow>& rows, const DecodeGrid& grid) {
    std::vector<DecodeSummary> out;
    for (const std::string base : {"fa2", "flashdecoding"})
        for (const auto& k : grid.kernels) {
            if (k == base || (base == "flashdecoding" && k == "fa2")) continue;
            DecodeSummary s;
            s.kernel = k;
            s.baseline = base;
            std::vector<std::pair<double, std::string>> all, at_bw, below_bw;
            std::map<long long, std::vector<std::pair<double, std::string>>> by_m, by_bh;
            double saved_combine = 0, saved_split = 0;
            for (std::size_t i = 0; i < rows.size(); ++i) {
                const DecodeRow& r = rows[i];
                if (r.kernel != k) continue;
                double x = base == "fa2" ? r.speedup_vs_fa2 : r.speedup_vs_flashdecoding;
                std::string where = r.problem.str();
                all.push_back({x, where});
                by_m[r.problem.M].push_back({x, where});
                by_bh[r.problem.B * r.problem.H].push_back({x, where});
                if (base != "flashdecoding") continue;
                // The FlashDecoding row of the same point.
                auto fd = std::find_if(rows.begin(), rows.end(), [&](const DecodeRow& o) { return o.kernel == "flashdecoding" && o.problem == r.problem; });
                if (fd == rows.end()) continue;
                (fd->result.copy_fraction >= at_copy_bandwidth ? at_bw : below_bw).push_back({x, where});
                double& h = s.baseline_headroom_by_context[r.problem.M];
                h = std::max(h, fd->headroom);
                if (r.saved_us > 0) saved_combine += r.saved_combine_us, saved_split += r.saved_split_us;
            }
            s.overall = stats(all);
            for (const auto& [m, xs] : by_m) s.by_context[m] = stats(xs);
            for (const auto& [bh, xs] : by_bh) s.by_batch_heads[bh] = stats(xs);
            s.baseline_at_copy_bandwidth = stats(at_bw);
            s.baseline_below_copy_bandwidth = stats(below_bw);
            s.saved_combine_us = saved_combine;
            s.saved_split_us = saved_split;
            if (saved_combine + saved_split > 0) {
                s.saved_combine_share = saved_combine / (saved_combine + saved_split);
                s.saved_split_share = saved_split / (saved_combine + saved_split);
            }
            out.push_back(s);
        }
    return out;
}

} // namespace cli
