// Runs a sweep's points on worker threads into the CSV, with progress on stderr, a JSON sidecar
// (versions, the sweep file's hash, wall time), --resume, deterministic shards, and Ctrl-C stopping
// cleanly after the points in flight.
#pragma once
#include <string>

#include "cli/sweep/sweep_spec.h"

namespace cli::sweep {

struct RunOptions {
    std::string out;
    int threads = 1;
    bool resume = false, force = false;
    int shard_index = 0, shard_count = 1;
    bool progress = true;
};

struct RunStats {
    std::size_t total = 0;    // points of this shard
    std::size_t skipped = 0;  // already in the file (resume)
    std::size_t run = 0;      // evaluated now
    std::size_t illegal = 0;
    double wall_s = 0;
    bool interrupted = false;
    bool running = false;     // the sidecar written as a run starts (a killed run leaves it so)
};

// "i/N" → shard (i in [0, N)); when text is empty, from Slurm's array variables: shard
// (SLURM_ARRAY_TASK_ID - _MIN) / _STEP of SLURM_ARRAY_TASK_COUNT.
void parse_shard(const std::string& text, RunOptions& o);

RunStats run_sweep(const SweepSpec& s, const RunOptions& o);

// The sidecar next to the CSV (<out>.json).
void write_sidecar(const SweepSpec& s, const RunOptions& o, const RunStats& st, const std::string& mode);

} // namespace cli::sweep
