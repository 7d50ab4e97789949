// einsim bench systemc: how fast the SystemC engine plays a schedule out — simulated tile events
// (operations and transfers) per second on one core, and the wall time of the reference layer
// (BERT-Base attention at M = 64K, FuseMax on cloud-fusemax), with FLAT and unfused beside it.
#pragma once
#include <CLI/CLI.hpp>

namespace cli {

void add_bench_systemc_command(CLI::App* bench, int& result);

} // namespace cli
