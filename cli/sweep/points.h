// The points of a sweep: the cartesian product of its axes in file order (the last axis varies
// fastest), minus exclusions. A point's key ("model=bert-base;seq=4096;design=flat") identifies it
// across runs, shards and merges.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "cli/sweep/sweep_spec.h"

namespace cli::sweep {

struct Point {
    std::size_t index = 0;                  // position in the full product (before exclusions)
    std::vector<std::pair<std::string, Value>> values; // axis keys in file order
    std::string key() const;
    const Value* find(const std::string& k) const;
};

std::vector<Point> enumerate_points(const SweepSpec& s);

} // namespace cli::sweep
