// The rows of a DeltaLLM trade-off report, read from CSV and checked once: the sparsity–error
// sweeps of `einsim sparsity --format csv` (one row per threshold θ, window W and stage) and the
// skip-granularity sweeps of `einsim simulate --arch edge-* --sweep-block ... --format csv` (one row
// per block size). `einsim report` tells these files from result CSVs by their header (csv_kind).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "reports/located_csv.h"

namespace reports {

enum class CsvKind { results, sparsity, granularity };

// sparsity: a header with `theta` and `sparsity`; granularity: `block_elements` and
// `prefill_speedup`; anything else is read as results (reports/result_rows.h).
CsvKind csv_kind(const LocatedCsv& file);

struct SparsityRow {
    std::string file;
    int line = 0;
    // What was measured: the same on every row of one `einsim sparsity` run ("" when absent).
    std::string cascade, input, shape, decode_steps, block_elements;
    double theta = 0;
    std::int64_t window = 0;                  // W
    std::string stage;                        // prefill, decode or overall
    std::int64_t tokens = 0;                  // 0 when absent
    double sparsity = 0, mac_skip_fraction = 0, max_rel_error = 0;
    double block_sparsity = 0, rms_rel_error = 0; // NaN when absent
};

struct GranularityRow {
    std::string file;
    int line = 0;
    // The workload and device: the same on every row of one `simulate --sweep-block` run.
    std::string arch, model, heads, window, prefill_tokens, decode_context, element_sparsity; // heads: "H/Hkv"
    std::int64_t block_elements = 1;
    double block_skip_probability = 0;        // NaN when absent
    double prefill_speedup = 0, prefill_energy_ratio = 0, decode_speedup = 0, decode_energy_ratio = 0;
};

struct TradeoffSet {
    std::vector<std::string> files;
    std::vector<SparsityRow> sparsity;        // in file order
    std::vector<GranularityRow> granularity;
};

// Throws CsvError (file:line:column) on a file of another kind, a missing required column (sparsity:
// theta, W, stage, sparsity, mac_skip_fraction, max_rel_error; granularity: block_elements and the
// four speedup and energy-ratio columns), a value that is not a number, a θ below 0, a window or
// block size that is not a whole number (W >= 0, blocks >= 1), a fraction outside [0, 1], a negative
// error, speedup or energy ratio, or the same point twice (naming both rows).
TradeoffSet load_tradeoff(const std::vector<LocatedCsv>& files);

} // namespace reports
