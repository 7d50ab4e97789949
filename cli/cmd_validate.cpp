// einsim validate: measured GPU times (einsim-gpu, cuda/sdpa_peer.py) against the GPU-SM model's
// prediction for the same jobs; per-job and summary errors, the CSV for `einsim report --validation`
// and validation/summary.json. Everything is read and checked before anything is written.
#include <iostream>

#include "cli/commands.h"
#include "cli/gpu_validation.h"
#include "cli/job_filter.h"
#include "cli/measured_arch.h"
#include "cli/output_format.h"
#include "reports/report_files.h"
#include "reports/table.h"

namespace cli {
namespace {

struct ValidateOptions {
    std::vector<std::string> measured;
    std::string jobs, arch, out, summary, fit_set;
    std::vector<std::string> set;
    bool newest = false;
    bool fit_set_given = false; // --fit-set named, even as an empty value (an error, not "no fit set")
    Format format = Format::table;
};

using reports::fixed;

int run_validate(const ValidateOptions& o) {
    std::vector<MeasuredRow> rows = read_measured_files(o.measured);
    std::optional<std::map<std::string, MeasuredRow>> jobs;
    if (!o.jobs.empty()) jobs = read_jobs(o.jobs);
    std::optional<JobFilter> fit_set;
    if (o.fit_set_given) fit_set = parse_job_filter(o.fit_set, "--fit-set");

    arch::Arch a = measured_gpu_arch(o.arch, rows, o.set, "validate");
    const arch::GpuArch& g = *a.gpu();
    Validation v = validate(rows, g, a.name, jobs, o.newest);
    if (v.jobs.empty()) throw einsum::InputError({o.measured.front(), 0, 0, ""}, "no measured row could be compared (" +
                                                                                      std::to_string(v.skipped.size()) + " skipped)");
    if (fit_set) {
        std::vector<ValidatedJob> others;
        for (const auto& x : v.jobs)
            if (!matches(*fit_set, x)) others.push_back(x);
        v.fit_set = o.fit_set;
        v.fit_jobs = static_cast<long long>(v.jobs.size() - others.size());
        if (v.fit_jobs == 0) throw einsum::InputError({"--fit-set", 0, 0, o.fit_set}, "no compared job matches --fit-set '" + o.fit_set + "'");
        if (others.empty()) throw einsum::InputError({"--fit-set", 0, 0, o.fit_set}, "every compared job matches --fit-set '" + o.fit_set + "': none is held out");
        v.held_out = error_stats(others);
    }
    nlohmann::ordered_json summary = summary_json(v, g);

    std::vector<std::pair<std::string, std::string>> files;
    if (!o.out.empty()) files.push_back({o.out, validation_csv(v)});
    if (!o.summary.empty()) files.push_back({o.summary, summary.dump(2) + "\n"});
    std::vector<std::string> inputs = o.measured;
    if (!o.jobs.empty()) inputs.push_back(o.jobs);
    if (!files.empty()) reports::write_files_atomically(files, inputs);

    if (o.format == Format::csv) {
        std::cout << validation_csv(v);
        return exit_ok;
    }
    if (o.format == Format::json) {
        nlohmann::ordered_json j = summary;
        j["rows"] = nlohmann::ordered_json::array();
        for (const auto& x : v.jobs)
            j["rows"].push_back({{"job_id", x.job_id},     {"decomposition", x.decomposition}, {"predicted_us", x.predicted_us},
                                 {"measured_us", x.measured_us}, {"abs_pct_err", x.abs_pct_err}, {"pct_err", x.pct_err},
                                 {"mapping", x.mapping},   {"binding", x.binding}});
        j["skipped_jobs"] = nlohmann::ordered_json::array();
        for (const auto& s : v.skipped) j["skipped_jobs"].push_back({{"job_id", s.job_id}, {"decomposition", s.decomposition}, {"reason", s.reason}, {"where", s.where}});
        std::cout << j.dump(2) << "\n";
        return exit_ok;
    }
    reports::Table t;
    t.columns = {"job", "decomposition", "predicted us", "measured us", "error", "binding"};
    for (const auto& x : v.jobs)
        t.add({x.job_id, x.decomposition, fixed(x.predicted_us, 1), fixed(x.measured_us, 1), (x.pct_err >= 0 ? "+" : "") + fixed(x.pct_err, 1) + "%", x.binding});
    std::cout << "predicted (GPU-SM model, " << a.name << ") against measured (" << v.gpu << ")\n\n" << t.text() << "\n";
    reports::Table s;
    s.columns = {"decomposition", "jobs", "median |err|", "p90 |err|", "max |err|", "mean err", "worst"};
    for (const auto& [d, st] : v.by_decomposition)
        s.add({d, std::to_string(st.jobs), fixed(st.median, 1) + "%", fixed(st.p90, 1) + "%", fixed(st.max, 1) + "%", fixed(st.mean_signed, 1) + "%", st.max_job});
    const ErrorStats& st = v.overall;
    s.add({"all", std::to_string(st.jobs), fixed(st.median, 1) + "%", fixed(st.p90, 1) + "%", fixed(st.max, 1) + "%", fixed(st.mean_signed, 1) + "%", st.max_job});
    if (v.held_out) {
        const ErrorStats& h = *v.held_out;
        s.add({"held out of fit", std::to_string(h.jobs), fixed(h.median, 1) + "%", fixed(h.p90, 1) + "%", fixed(h.max, 1) + "%", fixed(h.mean_signed, 1) + "%",
               h.max_job});
    }
    std::cout << s.text();
    if (!v.skipped.empty()) {
        std::cout << "\nskipped " << v.skipped.size() << " rows:";
        for (const auto& [reason, n] : summary["skipped_by_reason"].items()) std::cout << " " << n.get<long long>() << " (" << reason << ")";
        std::cout << "\n";
    }
    for (const auto& [path, text] : files) std::cout << "wrote " << path << "\n";
    return exit_ok;
}

} // namespace

void add_validate_command(CLI::App& app, int& result) {
    auto o = std::make_shared<ValidateOptions>();
    CLI::App* cmd = app.add_subcommand("validate", "Measured GPU times (einsim-gpu, sdpa_peer.py) against the GPU-SM model's predictions");
    cmd->add_option("--measured", o->measured, "Measured CSV(s) of einsim-gpu run or cuda/sdpa_peer.py (repeatable, or comma-separated)")
        ->required()
        ->delimiter(',');
    cmd->add_option("--jobs", o->jobs, "The jobs CSV that was measured: every measured job must be in it, with the same shape");
    cmd->add_flag("--newest", o->newest,
                  "A job measured in several files: use the file listed last (newer), skip the others as superseded; its mapping may differ "
                  "from --jobs");
    cmd->add_option("--arch", o->arch, "GPU preset or TOML file (default: from the measured gpu column)");
    cmd->add_option("--set", o->set, "Architecture override KEY=VALUE; repeatable");
    cmd->add_option("--out", o->out, "Write the per-job CSV (job_id, decomposition, predicted_us, measured_us, abs_pct_err, ...) here");
    cmd->add_option("--summary", o->summary, "Write the summary JSON (gpu, median/p90/max_abs_pct_err, jobs, ...) here");
    cmd->add_option_function<std::string>(
           "--fit-set",
           [o](const std::string& s) {
               o->fit_set = s;
               o->fit_set_given = true;
           },
                    "The jobs the preset's fitted constants were fitted on, as KEY=VALUE terms (decomposition, kernel, dtype; B, H, Hkv, E, F, "
                    "M, P also with >= and <=), comma-separated: the summary reports the other jobs apart (held_out_of_fit)");
    add_format_option(cmd, o->format);
    cmd->callback([o, &result] {
        try {
            result = run_validate(*o);
        } catch (const std::exception& e) {
            std::cerr << "einsim: error: " << e.what() << "\n";
            result = exit_input;
        }
    });
}

} // namespace cli
