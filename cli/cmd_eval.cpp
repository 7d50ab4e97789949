// einsim eval FILE --shape ...: run the reference evaluator on seeded random inputs and report the
// error against plain softmax attention computed directly.
#include <cmath>
#include <iostream>
#include <limits>

#include "cli/commands.h"
#include "cli/number_checks.h"
#include "cli/output_format.h"
#include "einsum/attention_check.h"
#include "einsum/evaluator.h"
#include "workloads/library.h"

namespace cli {
namespace {

struct EvalOptions {
    std::string file;
    std::string shape;
    std::uint64_t seed = 1;
    double rho = 0.0;
    double max_error = -1;
    Format format = Format::table;
};

int run_eval(const EvalOptions& o) {
    einsum::Cascade c = workloads::load_cascade(o.file);
    einsum::Shape s = einsum::resolve_shape(c, einsum::parse_shape_binding(o.shape));
    einsum::InputSpec spec{o.seed, o.rho};
    nlohmann::ordered_json j{{"cascade", c.name}, {"shape", s.str()}, {"seed", o.seed}, {"rho", o.rho}};
    bool failed = false;
    if (c.attention) {
        einsum::AttentionCheck r = einsum::check_attention(c, s, spec);
        j["reference"] = "softmax attention (direct, Eigen, double)";
        j["max_rel_error"] = r.max_rel_error;
        j["max_abs_error"] = r.max_abs_error;
        j["elements"] = r.elements;
        failed = o.max_error >= 0 && !(r.max_rel_error <= o.max_error);
        j["pass"] = !failed;
    } else {
        einsum::TensorMap all = einsum::evaluate(c, s, einsum::random_attention_inputs(c, s, spec));
        const einsum::Tensor& out = all.at(c.output);
        double sum = 0, peak = 0;
        for (double x : out.data) {
            sum += x;
            peak = std::max(peak, std::fabs(x));
        }
        j["reference"] = "none (no [attention] roles)";
        j["output"] = c.output;
        j["elements"] = out.size();
        j["sum"] = sum;
        j["max_abs"] = peak;
    }
    if (o.format == Format::json) {
        std::cout << j.dump(2) << "\n";
    } else {
        reports::Table t;
        for (auto it = j.begin(); it != j.end(); ++it) t.columns.push_back(it.key());
        std::vector<std::string> row;
        for (auto it = j.begin(); it != j.end(); ++it)
            row.push_back(it->is_string() ? it->get<std::string>()
                          : it->is_number_float() ? reports::number(it->get<double>())
                                                  : it->dump());
        t.add(row);
        if (o.format == Format::csv) {
            std::cout << t.csv();
        } else {
            for (std::size_t i = 0; i < t.columns.size(); ++i) std::cout << t.columns[i] << ": " << row[i] << "\n";
        }
    }
    return failed ? exit_check_failed : exit_ok;
}

} // namespace

void add_eval_command(CLI::App& app, int& result) {
    auto o = std::make_shared<EvalOptions>();
    CLI::App* cmd = app.add_subcommand("eval", "Evaluate a cascade on seeded random inputs against plain softmax attention");
    cmd->add_option("file", o->file, "Cascade TOML file or built-in name")->required();
    cmd->add_option("--shape", o->shape, "Rank extents and parameters, e.g. M=37,P=5,E=8,F=8");
    cmd->add_option("--seed", o->seed, "Random seed for the inputs")->check(integer_in(0, std::numeric_limits<long long>::max()))->default_val(1);
    cmd->add_option("--rho", o->rho, "Correlation between consecutive query positions (AR(1)), 0 = independent")
        ->check(number_in(-1.0, 1.0))->default_val(0.0);
    cmd->add_option("--max-error", o->max_error, "Exit with code 3 when max_rel_error exceeds this")->check(non_negative_number());
    add_format_option(cmd, o->format);
    cmd->callback([o, &result] { result = run_eval(*o); });
}

} // namespace cli
