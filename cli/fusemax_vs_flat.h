// The FuseMax paper's comparison: attention (and the whole transformer layer) of BERT, TrXL, T5 and
// XLM at sequence lengths 1K…1M on unfused, FLAT and FuseMax, each design on its own architecture.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/result.h"

namespace cli {

struct DesignSpec {
    std::string design, cascade, mapping, arch;
};

struct ComparisonOptions {
    std::vector<std::string> models{"bert-base", "trxl", "t5", "xlm"};
    std::vector<std::int64_t> seq_lens{1024, 4096, 16384, 65536, 262144, 1048576};
    std::int64_t batch = 1;
    bool end_to_end = true;
    std::string baseline = "flat";
    std::string engine = "analytical";     // or systemc
    std::vector<DesignSpec> designs{{"unfused", "attention_3pass", "unfused", "cloud-flat"},
                                    {"flat", "attention_3pass", "flat", "cloud-flat"},
                                    {"fusemax", "fusemax", "fusemax", "cloud-fusemax"}};
};

struct ComparisonRow {
    std::string model, design;
    std::int64_t seq_len = 0, layers = 0;
    bool ok = false;
    std::string reason;                    // why the point is illegal, when !ok
    std::string note;                      // systemc: how far from the analytical model and which stall explains it (> 3%)
    sim::Result attention;                 // one layer's attention
    std::optional<sim::Result> projections; // one layer's projections and FFN
    double e2e_cycles() const;             // layers × (attention + projections)
    double e2e_energy_pj() const;
};

std::vector<ComparisonRow> run_fusemax_vs_flat(const ComparisonOptions& o);

// The row of `design` for the same model and length as `r`, or nullptr.
const ComparisonRow* find_row(const std::vector<ComparisonRow>& rows, const ComparisonRow& r, const std::string& design);

} // namespace cli
