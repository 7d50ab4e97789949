#include "cli/fusemax_vs_flat.h"

#include <map>

#include "arch/load.h"
#include "mappings/library.h"
#include "sim/spatial.h"
#include "sim/systemc/engine.h"
#include "workloads/library.h"
#include "workloads/model.h"

namespace cli {

double ComparisonRow::e2e_cycles() const {
    return static_cast<double>(layers) * (attention.cycles + (projections ? projections->cycles : 0.0));
}

double ComparisonRow::e2e_energy_pj() const {
    return static_cast<double>(layers) * (attention.energy_pj + (projections ? projections->energy_pj : 0.0));
}

const ComparisonRow* find_row(const std::vector<ComparisonRow>& rows, const ComparisonRow& r, const std::string& design) {
    for (const auto& x : rows)
        if (x.model == r.model && x.seq_len == r.seq_len && x.design == design) return &x;
    return nullptr;
}

std::vector<ComparisonRow> run_fusemax_vs_flat(const ComparisonOptions& o) {
    const std::string data = workloads::data_dir();
    std::map<std::string, arch::Arch> arches;
    for (const auto& d : o.designs)
        if (!arches.count(d.arch)) arches.emplace(d.arch, arch::load_preset(d.arch, data));
    einsum::Cascade layer = workloads::load_cascade("transformer_layer");
    mappings::Mapping proj = mappings::load_named_mapping("projections", data);
    std::vector<ComparisonRow> rows;
    for (const auto& model_name : o.models) {
        workloads::ModelShape model = workloads::load_model(model_name);
        for (auto M : o.seq_lens)
            for (const auto& d : o.designs) {
                ComparisonRow row;
                row.model = model.id;
                row.design = d.design;
                row.seq_len = M;
                row.layers = model.layers;
                const arch::Arch& a = arches.at(d.arch);
                einsum::Cascade c = workloads::load_cascade(d.cascade);
                mappings::Mapping m = mappings::load_named_mapping(d.mapping, data);
                try {
                    // The SystemC engine also says where it parts from the analytical model.
                    auto simulate = [&](const einsum::Cascade& cc, const mappings::Mapping& mm, const std::string& what) {
                        einsum::ShapeBinding b = workloads::bind_model(model, cc, M, M, o.batch);
                        if (o.engine != "systemc") return sim::simulate_spatial(cc, b, mm, *a.spatial(), a.name);
                        sim::systemc::Run run = sim::systemc::simulate_spatial(cc, b, mm, *a.spatial(), a.name);
                        std::string why = sim::systemc::explain(run.result, run.analytical);
                        if (!why.empty()) row.note += (row.note.empty() ? "" : "; ") + what + " " + why;
                        return run.result;
                    };
                    row.attention = simulate(c, m, "attention");
                    if (o.end_to_end) row.projections = simulate(layer, proj, "projections");
                    row.ok = true;
                } catch (const einsum::InputError& e) {
                    // An illegal point (e.g. FLAT's rows of M do not fit) is a result, not a failure.
                    row.reason = e.reason();
                }
                rows.push_back(std::move(row));
            }
    }
    return rows;
}

} // namespace cli
