#include "cli/fusemax_vs_flat.h"

#include <map>

#include "arch/load.h"
#include "mappings/library.h"
#include "sim/spatial.h"
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
                    row.attention = sim::simulate_spatial(c, workloads::bind_model(model, c, M, M, o.batch), m, *a.spatial(), a.name);
                    if (o.end_to_end)
                        row.projections = sim::simulate_spatial(layer, workloads::bind_model(model, layer, M, M, o.batch), proj, *a.spatial(), a.name);
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
