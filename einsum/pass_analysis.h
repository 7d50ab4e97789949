// How many passes over a sequence rank (M) a cascade needs, and why (the FuseMax argument): an
// Einsum that consumes M elements and needs a value that is complete only after all of M has been
// seen must wait for the next pass, unless the cascade carries that value iteratively.
#pragma once
#include <string>
#include <vector>

#include "einsum/cascade.h"

namespace einsum {

struct PassBoundary {
    int pass = 0;          // the pass this dependency starts
    std::string consumer;  // Einsum that must wait
    std::string tensor;    // what it waits for
    std::string producer;  // Einsum that completes it
    std::string reason;    // one sentence
};

struct PassReport {
    std::string rank;                 // the sequence rank analysed, e.g. M
    int passes = 0;
    std::vector<int> einsum_pass;     // per Einsum: the pass it belongs to (0: before any pass)
    std::vector<bool> reads_elements; // per Einsum: iterates over individual M elements
    std::vector<PassBoundary> boundaries;
};

// One report per rank with role "sequence".
std::vector<PassReport> analyze_passes(const Cascade& c);

} // namespace einsum
