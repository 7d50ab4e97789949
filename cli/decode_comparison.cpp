#include "cli/decode_comparison.h"

#include <algorithm>
#include <cmath>

#include "einsum/input_error.h"
#include "mappings/gpu_policies.h"
#include "sim/gpu/gpu_model.h"

namespace cli {

namespace {

std::pair<long long, long long> parse_heads(const std::string& text) {
    auto slash = text.find('/');
    try {
        long long h = std::stoll(text.substr(0, slash));
        long long hkv = slash == std::string::npos ? h : std::stoll(text.substr(slash + 1));
        if (h > 0 && hkv > 0 && h % hkv == 0) return {h, hkv};
    } catch (const std::exception&) {
    }
    throw einsum::InputError({"--heads", 0, 0, text}, "expected H/Hkv with Hkv dividing H (e.g. 64/8), got '" + text + "'");
}

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

std::vector<DecodeRow> run_decode_comparison(const arch::GpuArch& g, const std::string& arch_name, const DecodeGrid& grid) {
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
            std::vector<std::pair<double, std::string>> all;
            std::map<long long, std::vector<std::pair<double, std::string>>> by_m, by_bh;
            for (const auto& r : rows) {
                if (r.kernel != k) continue;
                double x = base == "fa2" ? r.speedup_vs_fa2 : r.speedup_vs_flashdecoding;
                std::string where = r.problem.str();
                all.push_back({x, where});
                by_m[r.problem.M].push_back({x, where});
                by_bh[r.problem.B * r.problem.H].push_back({x, where});
            }
            s.overall = stats(all);
            for (const auto& [m, xs] : by_m) s.by_context[m] = stats(xs);
            for (const auto& [bh, xs] : by_bh) s.by_batch_heads[bh] = stats(xs);
            out.push_back(s);
        }
    return out;
}

} // namespace cli
