// einsim compare decode: FlashAttention-2 vs FlashDecoding vs LeanAttention (and optionally PyTorch's
// SDPA flash backend) in decode on a GPU preset, over context lengths and batch/head combinations:
// one row per (point, kernel) with time, achieved bandwidth and speedups, then the averages.
#include <algorithm>
#include <cmath>
#include <iostream>

#include "cli/arch_overrides.h"
#include "cli/commands.h"
#include "cli/decode_comparison.h"
#include "cli/number_checks.h"
#include "cli/output_format.h"
#include "reports/gpu_result_json.h"
#include "reports/table.h"
#include "workloads/library.h"

namespace cli {
namespace {

struct DecodeOptions {
    std::string arch;
    std::vector<std::string> set;
    DecodeGrid grid = DecodeGrid::defaults();
    Format format = Format::table;
};

using reports::fixed;

std::string context_label(long long m) { return m % 1024 == 0 ? std::to_string(m / 1024) + "K" : std::to_string(m); }

nlohmann::ordered_json stats_json(const SpeedupStats& s) {
    return {{"mean", s.mean}, {"geomean", s.geomean}, {"min", s.min}, {"max", s.max}, {"argmax", s.argmax}, {"points", s.points}};
}

const std::vector<std::string> csv_columns = {"arch", "kernel", "decomposition", "splits", "grid_ctas", "B", "H", "Hkv", "E", "M",
                                              "time_us", "achieved_gbps", "copy_fraction", "sm_busy_fraction", "binding",
                                              "speedup_vs_fa2", "speedup_vs_flashdecoding", "slots", "floor_us", "headroom",
                                              "second_kernel_us", "saved_us", "saved_combine_us", "saved_split_us", "vs_flashdecoding"};

std::vector<std::string> csv_row(const std::string& arch, const DecodeRow& r) {
    const auto& p = r.problem;
    return {arch, r.kernel, r.result.decomposition, std::to_string(r.result.splits), std::to_string(r.result.grid_ctas), std::to_string(p.B),
            std::to_string(p.H), std::to_string(p.Hkv), std::to_string(p.E), std::to_string(p.M), reports::number(r.result.time_us),
            reports::number(r.result.achieved_gbps), reports::number(r.result.copy_fraction), reports::number(r.result.sm_busy_fraction),
            r.result.binding, reports::number(r.speedup_vs_fa2), reports::number(r.speedup_vs_flashdecoding), std::to_string(r.slots),
            reports::number(r.floor_us), reports::number(r.headroom), reports::number(r.second_kernel_us), reports::number(r.saved_us),
            reports::number(r.saved_combine_us), reports::number(r.saved_split_us), r.vs_flashdecoding};
}

int run_compare_decode(const DecodeOptions& o) {
    arch::Arch a = load_arch_with_overrides(o.arch, o.set);
    if (!a.gpu())
        throw einsum::InputError({o.arch, 0, 0, "kind"}, "compare decode needs a GPU architecture (a100, h100, h200); " + a.name + " is of kind " +
                                                             std::string(arch::name(a.kind())));
    const arch::GpuArch& g = *a.gpu();
    std::vector<DecodeRow> rows = run_decode_comparison(g, a.name, o.grid);
    std::vector<DecodeSummary> sums = summarize(rows, o.grid);

    if (o.format == Format::csv) {
        reports::Table t;
        t.columns = csv_columns;
        for (const auto& r : rows) t.add(csv_row(a.name, r));
        std::cout << t.csv();
        return exit_ok;
    }
    if (o.format == Format::json) {
        nlohmann::ordered_json j;
        j["arch"] = a.name;
        j["sm_count"] = g.sm_count;
        j["copy_bandwidth_gbps"] = g.hbm.copy_bandwidth_gb_per_s;
        j["copy_bandwidth_measured"] = g.hbm.copy_bandwidth_measured;
        j["rows"] = nlohmann::ordered_json::array();
        for (const auto& r : rows) {
            nlohmann::ordered_json x;
            auto values = csv_row(a.name, r);
            for (std::size_t i = 0; i < csv_columns.size(); ++i) x[csv_columns[i]] = values[i];
            for (const char* key : {"splits", "grid_ctas", "B", "H", "Hkv", "E", "M", "slots"}) x[key] = std::stoll(x[key].get<std::string>());
            x["time_us"] = r.result.time_us;
            x["achieved_gbps"] = r.result.achieved_gbps;
            x["copy_fraction"] = r.result.copy_fraction;
            x["sm_busy_fraction"] = r.result.sm_busy_fraction;
            x["speedup_vs_fa2"] = r.speedup_vs_fa2;
            x["speedup_vs_flashdecoding"] = r.speedup_vs_flashdecoding;
            x["floor_us"] = r.floor_us;
            x["headroom"] = r.headroom;
            x["second_kernel_us"] = r.second_kernel_us;
            x["saved_us"] = r.saved_us;
            x["saved_combine_us"] = r.saved_combine_us;
            x["saved_split_us"] = r.saved_split_us;
            x["mapping"] = r.result.mapping;
            j["rows"].push_back(x);
        }
        j["summary"] = nlohmann::ordered_json::array();
        for (const auto& s : sums) {
            nlohmann::ordered_json x{{"kernel", s.kernel}, {"baseline", s.baseline}, {"overall", stats_json(s.overall)}};
            x["by_context"] = nlohmann::ordered_json::array();
            for (const auto& [m, st] : s.by_context) {
                auto e = stats_json(st);
                e["M"] = m;
                x["by_context"].push_back(e);
            }
            x["by_batch_heads"] = nlohmann::ordered_json::array();
            for (const auto& [bh, st] : s.by_batch_heads) {
                auto e = stats_json(st);
                e["batch_heads"] = bh;
                x["by_batch_heads"].push_back(e);
            }
            if (s.baseline == "flashdecoding") {
                x["baseline_at_copy_bandwidth"] = stats_json(s.baseline_at_copy_bandwidth);
                x["baseline_below_copy_bandwidth"] = stats_json(s.baseline_below_copy_bandwidth);
                x["baseline_headroom_by_context"] = nlohmann::ordered_json::array();
                for (const auto& [m, h] : s.baseline_headroom_by_context) x["baseline_headroom_by_context"].push_back({{"M", m}, {"max", h}});
                x["saved_combine_share"] = s.saved_combine_share;
                x["saved_split_share"] = s.saved_split_share;
                x["saved_combine_us"] = s.saved_combine_us;
                x["saved_split_us"] = s.saved_split_us;
            }
            j["summary"].push_back(x);
        }
        std::cout << j.dump(2) << "\n";
        return exit_ok;
    }
    // Table: one line per point, the kernels side by side.
    std::cout << "decode attention on " << a.name << " (GPU-SM model; copy bandwidth " << reports::number(g.hbm.copy_bandwidth_gb_per_s) << " GB/s, "
              << (g.hbm.copy_bandwidth_measured ? "measured" : "estimated") << ")\n\n";
    reports::Table t;
    t.columns = {"E", "H/Hkv", "B", "M"};
    const bool has_fd = std::find(o.grid.kernels.begin(), o.grid.kernels.end(), "flashdecoding") != o.grid.kernels.end();
    const bool has_la = std::find(o.grid.kernels.begin(), o.grid.kernels.end(), "leanattention") != o.grid.kernels.end();
    for (const auto& k : o.grid.kernels) {
        t.columns.push_back(k + " us");
        t.columns.push_back(k == "flashdecoding" || k == "sdpa" ? "S" : k == "leanattention" ? "GB/s" : "bound");
        if (k == "flashdecoding") t.columns.push_back("CTAs/slots");
    }
    for (const auto& k : o.grid.kernels)
        if (k != "fa2") t.columns.push_back(k + "/fa2");
    for (const auto& k : o.grid.kernels)
        if (k != "fa2" && k != "flashdecoding") t.columns.push_back(k + "/fd");
    if (has_fd) {
        t.columns.push_back("fd %copy");
        t.columns.push_back("fd headroom");
    }
    if (has_fd && has_la) t.columns.push_back("why leanattention/fd");
    std::size_t nk = o.grid.kernels.size();
    for (std::size_t i = 0; i + nk <= rows.size(); i += nk) {
        const auto& p = rows[i].problem;
        std::vector<std::string> line{std::to_string(p.E), std::to_string(p.H) + "/" + std::to_string(p.Hkv), std::to_string(p.B), context_label(p.M)};
        const DecodeRow* fd = nullptr;
        const DecodeRow* la = nullptr;
        for (std::size_t k = 0; k < nk; ++k) {
            const DecodeRow& r = rows[i + k];
            line.push_back(fixed(r.result.time_us, 1));
            if (r.kernel == "flashdecoding" || r.kernel == "sdpa") line.push_back(std::to_string(r.result.splits));
            else if (r.kernel == "leanattention") line.push_back(fixed(r.result.achieved_gbps, 0));
            else line.push_back(r.result.binding);
            if (r.kernel == "flashdecoding") line.push_back(std::to_string(r.result.grid_ctas) + "/" + std::to_string(r.slots)), fd = &r;
            if (r.kernel == "leanattention") la = &r;
        }
        for (std::size_t k = 0; k < nk; ++k)
            if (rows[i + k].kernel != "fa2") line.push_back(fixed(rows[i + k].speedup_vs_fa2, 2) + "x");
        for (std::size_t k = 0; k < nk; ++k)
            if (rows[i + k].kernel != "fa2" && rows[i + k].kernel != "flashdecoding") line.push_back(fixed(rows[i + k].speedup_vs_flashdecoding, 2) + "x");
        if (fd) {
            line.push_back(fixed(100 * fd->result.copy_fraction, 0) + "%");
            line.push_back(fixed(fd->headroom, 2) + "x");
        }
        if (fd && la) line.push_back(la->vs_flashdecoding);
        t.add(line);
    }
    std::cout << t.text() << "\n";
    for (const auto& s : sums) {
        std::cout << s.kernel << " vs " << s.baseline << ": mean " << fixed(s.overall.mean, 2) << "x, geomean " << fixed(s.overall.geomean, 2) << "x, max "
                  << fixed(s.overall.max, 2) << "x at " << s.overall.argmax << "\n  by context:";
        for (const auto& [m, st] : s.by_context) std::cout << " " << context_label(m) << " " << fixed(st.mean, 2) << "x";
        std::cout << "\n  by B x H:";
        for (const auto& [bh, st] : s.by_batch_heads) std::cout << " " << bh << " " << fixed(st.mean, 2) << "x";
        std::cout << "\n";
        if (s.baseline != "flashdecoding") continue;
        const auto& at = s.baseline_at_copy_bandwidth;
        const auto& below = s.baseline_below_copy_bandwidth;
        std::cout << "  where flashdecoding streams at >= 90% of the copy bandwidth: " << at.points << " points, mean " << fixed(at.mean, 2)
                  << "x, max " << fixed(at.max, 2) << "x; below: " << below.points << " points, mean " << fixed(below.mean, 2) << "x, max "
                  << fixed(below.max, 2) << "x\n";
        std::cout << "  flashdecoding's headroom (its time over the copy-bandwidth floor: no kernel gains more), largest by context:";
        for (const auto& [m, h] : s.baseline_headroom_by_context) std::cout << " " << context_label(m) << " " << fixed(h, 2) << "x";
        // In microseconds as well as shares: where the one kernel is slower than FlashDecoding's split
        // kernel, the second kernel saved more than all (a share above 100%, the other below 0).
        auto signed_us = [](double us) { return (us < 0 ? "-" : "+") + fixed(std::abs(us), 2) + " us"; };
        std::cout << "\n  time saved over flashdecoding (where it saves): " << fixed(s.saved_combine_us + s.saved_split_us, 2) << " us = "
                  << signed_us(s.saved_combine_us) << " (" << fixed(100 * s.saved_combine_share, 0) << "%) its second kernel (launch + combine) "
                  << signed_us(s.saved_split_us) << " (" << fixed(100 * s.saved_split_share, 0) << "%) its split kernel (wave quantization and tails, less "
                  << s.kernel << "'s own reduction)\n";
    }
    return exit_ok;
}

} // namespace

void add_compare_decode_command(CLI::App& app, int& result) {
    auto o = std::make_shared<DecodeOptions>();
    CLI::App* cmd = compare_command(app)->add_subcommand(
        "decode", "FlashAttention-2 vs FlashDecoding vs LeanAttention in decode on a GPU, over context lengths and batch/heads");
    cmd->add_option("--arch", o->arch, "GPU preset or TOML file (a100, h100, h200)")->required();
    cmd->add_option("--set", o->set, "Architecture override KEY=VALUE (e.g. hbm.copy_bandwidth_gb_per_s=1900); repeatable");
    cmd->add_option("--contexts", o->grid.contexts, "Context lengths M (default 1024, 2048, ..., 524288)")->delimiter(',')->check(integer_in(1, max_extent));
    cmd->add_option("--batch", o->grid.batches, "Batch sizes B (default 1,4,16)")->delimiter(',')->check(integer_in(1, max_extent));
    cmd->add_option("--heads", o->grid.heads, "Query/key-value heads H/Hkv (default 32/32,64/8)")->delimiter(',');
    cmd->add_option("--head-dim", o->grid.head_dims, "Head dimensions E = F (default 64,128)")->delimiter(',')->check(integer_in(1, max_extent));
    cmd->add_option("--kernels", o->grid.kernels, "Kernels to compare: fa2, flashdecoding, leanattention, sdpa (default the first three)")
        ->delimiter(',');
    add_format_option(cmd, o->format);
    cmd->callback([o, &result] { result = run_compare_decode(*o); });
}

} // namespace cli
