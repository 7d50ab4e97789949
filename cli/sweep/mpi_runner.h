// The sweep over MPI ranks: rank 0 hands out points one at a time to whichever rank asks and writes
// every row to the one CSV; the others evaluate. Same rows as a single-process run.
#pragma once
#include "cli/sweep/runner.h"

namespace cli::sweep {

bool mpi_available();
// Initialises and finalises MPI itself. On ranks other than 0 the returned stats count that rank's
// points only; only rank 0 writes the CSV and the sidecar.
RunStats run_sweep_mpi(const SweepSpec& s, const RunOptions& o, int* rank);

} // namespace cli::sweep
