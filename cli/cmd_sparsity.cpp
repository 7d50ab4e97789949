// einsim sparsity: runs a delta cascade (DeltaLLM) on a token sequence, prefill and optionally
// decode, and reports the sparsity it exposes (zero deltas, skippable multiply-adds) and the error
// it costs against exact attention; --sweep-theta / --sweep-window tabulate the trade-off, and
// `einsim report` plots the CSV of a sweep (reports/tradeoff_report.h).
#include <cmath>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/commands.h"
#include "cli/number_checks.h"
#include "cli/output_format.h"
#include "cli/sparsity_inputs.h"
#include "einsum/delta_sequence.h"
#include "einsum/input_error.h"
#include "workloads/library.h"

namespace cli {
namespace {

struct SparsityOptions {
    std::string cascade = "deltallm", decode_cascade = "deltallm_decode";
    std::string input = "synth:rho=0.9", shape;
    std::optional<double> theta;
    std::optional<long long> window;
    long long decode_steps = 0, block = 1;
    std::string sweep_theta, sweep_window;
    Format format = Format::table;
};

nlohmann::ordered_json stage_json(const einsum::StageResult& r) {
    const auto& s = r.sparsity;
    return {{"tokens", r.tokens},
            {"sparsity", s.sparsity()},
            {"block_sparsity", s.block_sparsity()},
            {"mac_skip_fraction", s.mac_skip_fraction()},
            {"max_rel_error", r.error.max_rel_error},
            {"max_abs_error", r.error.max_abs_error},
            {"rms_rel_error", r.rms_rel_error},
            {"delta_elements", s.delta_elements()},
            {"delta_zeros", s.delta_zeros()},
            {"macs", s.macs},
            {"skipped_macs", s.skipped_macs}};
}

std::vector<double> number_list(const std::string& text, const std::string& option) {
    std::vector<double> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        std::size_t used = 0;
        double v = 0;
        try {
            v = std::stod(item, &used);
        } catch (const std::logic_error&) {
            used = 0;
        }
        if (used == 0 || used != item.size()) throw einsum::InputError({option, 0, 0, ""}, "'" + item + "' is not a number in '" + text + "'");
        out.push_back(v);
    }
    if (out.empty()) throw einsum::InputError({option, 0, 0, ""}, "expected a comma-separated list of numbers");
    return out;
}

std::string fmt(double v) { return reports::number(v); }
// Four significant digits, for the aligned text table.
std::string short_fmt(double v) {
    std::ostringstream o;
    o.precision(4);
    o << v;
    return o.str();
}

int run_sparsity(const SparsityOptions& o) {
    einsum::Cascade prefill = workloads::load_cascade(o.cascade);
    std::optional<einsum::Cascade> decode;
    if (o.decode_steps > 0) decode = workloads::load_cascade(o.decode_cascade);
    if (einsum::delta_tensors(prefill).empty())
        throw einsum::InputError({prefill.file, 0, 0, ""}, "cascade '" + prefill.name + "' has no thresholded delta tensor: nothing to skip");
    SequenceInput in = load_sequence(o.input, o.shape, prefill);
    auto param = [&](const char* name, double fallback) {
        const einsum::Param* p = prefill.find_param(name);
        return p ? p->value : fallback;
    };
    const std::vector<double> thetas = o.sweep_theta.empty() ? std::vector<double>{o.theta.value_or(param("theta", 0))}
                                                             : number_list(o.sweep_theta, "--sweep-theta");
    std::vector<double> windows = o.sweep_window.empty() ? std::vector<double>{double(o.window.value_or((long long)param("W", 0)))}
                                                         : number_list(o.sweep_window, "--sweep-window");
    for (double w : windows)
        if (w < 0 || w != std::floor(w)) throw einsum::InputError({"--sweep-window", 0, 0, ""}, "a window is a whole number of keys, got " + fmt(w));
    for (double theta : thetas)
        if (!(theta >= 0) || !std::isfinite(theta))
            throw einsum::InputError({o.sweep_theta.empty() ? "--theta" : "--sweep-theta", 0, 0, ""},
                                     "a threshold is a non-negative number (|change| > theta is kept), got " + fmt(theta));
    const bool sweep = thetas.size() > 1 || windows.size() > 1 || !o.sweep_theta.empty() || !o.sweep_window.empty();

    nlohmann::ordered_json j{{"cascade", prefill.name}, {"decode_cascade", decode ? decode->name : ""}, {"input", in.description},
                             {"shape", in.shape}, {"decode_steps", o.decode_steps}, {"block_elements", o.block}};
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    reports::Table t;
    t.columns = {"theta", "W", "stage", "tokens", "sparsity", "block_sparsity", "mac_skip_fraction", "max_rel_error", "rms_rel_error"};
    // The CSV names what was measured on every row, so that `einsim report` can combine files.
    reports::Table csv;
    csv.columns = {"cascade", "input", "shape", "decode_steps", "block_elements"};
    csv.columns.insert(csv.columns.end(), t.columns.begin(), t.columns.end());
    for (double w : windows)
        for (double theta : thetas) {
            einsum::SequenceOptions so{{{"theta", theta}, {"W", w}}, o.decode_steps, o.block};
            einsum::SequenceRun run = einsum::run_sequence(prefill, decode ? &*decode : nullptr, in.seq, so);
            nlohmann::ordered_json point{{"theta", theta}, {"W", (long long)w}};
            const nlohmann::ordered_json overall = stage_json(run.overall);
            for (auto it = overall.begin(); it != overall.end(); ++it) point[it.key()] = *it;
            point["prefill"] = stage_json(run.prefill);
            if (o.decode_steps > 0) point["decode"] = stage_json(run.decode);
            rows.push_back(point);
            std::vector<std::pair<std::string, const einsum::StageResult*>> stages{{"overall", &run.overall}};
            if (o.decode_steps > 0) stages = {{"prefill", &run.prefill}, {"decode", &run.decode}, {"overall", &run.overall}};
            for (const auto& [name, r] : stages) {
                auto cells = [&](auto f) {
                    return std::vector<std::string>{f(theta), f(w), name, std::to_string(r->tokens), f(r->sparsity.sparsity()),
                                                    f(r->sparsity.block_sparsity()), f(r->sparsity.mac_skip_fraction()),
                                                    f(r->error.max_rel_error), f(r->rms_rel_error)};
                };
                t.add(cells(short_fmt));
                std::vector<std::string> row{prefill.name, in.description, in.shape, std::to_string(o.decode_steps), std::to_string(o.block)};
                for (auto& c : cells(fmt)) row.push_back(std::move(c));
                csv.add(std::move(row));
            }
        }
    if (o.format == Format::json) {
        if (sweep) j["sweep"] = rows;
        else
            for (auto it = rows[0].begin(); it != rows[0].end(); ++it) j[it.key()] = *it;
        std::cout << j.dump(2) << "\n";
    } else if (o.format == Format::csv) {
        std::cout << csv.csv();
    } else {
        std::cout << "cascade " << prefill.name << (decode ? " + " + decode->name : "") << " on " << in.description << ", " << in.shape
                  << (o.decode_steps > 0 ? ", last " + std::to_string(o.decode_steps) + " tokens decoded" : "") << "\n";
        std::cout << "sparsity: zero ΔQ entries; block_sparsity: all-zero blocks of " << o.block
                  << "; mac_skip_fraction: multiply-adds with a zero operand; max_rel_error: vs exact attention\n\n";
        std::cout << t.text();
    }
    return exit_ok;
}

} // namespace

void add_sparsity_command(CLI::App& app, int& result) {
    auto o = std::make_shared<SparsityOptions>();
    CLI::App* cmd = app.add_subcommand("sparsity", "Measure the temporal sparsity and error of a delta cascade (DeltaLLM) on a token sequence");
    cmd->add_option("--cascade", o->cascade, "Prefill cascade (file or built-in name)")->default_val("deltallm");
    cmd->add_option("--decode-cascade", o->decode_cascade, "Decode cascade carrying the delta state")->default_val("deltallm_decode");
    cmd->add_option("--theta", o->theta, "Delta threshold θ (default: the cascade's)");
    cmd->add_option("--window", o->window, "Local window W of exact keys (default: the cascade's)")->check(non_negative_number());
    cmd->add_option("--input", o->input, "synth:rho=R[,seed=S][,scale=C] or npy:Q.npy,K.npy,V.npy")->default_val("synth:rho=0.9");
    cmd->add_option("--shape", o->shape, "Extents of synthetic inputs: B, H, E, F and M (tokens); default E=64,F=64,M=256");
    cmd->add_option("--decode-steps", o->decode_steps, "Decode the last N tokens one at a time (0: prefill only)")->check(non_negative_number());
    cmd->add_option("--block", o->block, "Skip-block size for block_sparsity (elements along E)")
        ->check(CLI::Validator(
            [](std::string& v) {
                const bool whole = !v.empty() && v.size() < 10 && v.find_first_not_of("0123456789") == std::string::npos;
                return whole && std::stol(v) >= 1 ? std::string() : "a skip block holds a whole number of elements, at least 1; got " + v;
            },
            "INT>=1"))
        ->default_val(1);
    cmd->add_option("--sweep-theta", o->sweep_theta, "Comma-separated thresholds to sweep, e.g. 0,0.05,0.1,0.2");
    cmd->add_option("--sweep-window", o->sweep_window, "Comma-separated windows to sweep, e.g. 4,16,64 (plot the CSV with einsim report)");
    add_format_option(cmd, o->format);
    cmd->callback([o, &result] { result = run_sparsity(*o); });
}

} // namespace cli
