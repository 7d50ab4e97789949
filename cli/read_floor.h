// The read floor by size, as `einsim-gpu bench --only floor` measures it (cuda/read_floor_bench.cu):
// rows named read_floor_us_<N>MiB give the time one launch of a streaming read kernel takes to read
// N MiB that are not in L2. gpu-compare sets each job beside the floor at its own bytes: how much of
// a short job goes to launch, ramp and tail rather than to HBM's steady rate, and what fraction of
// the copy bandwidth a kernel of those bytes could reach at all.
#pragma once
#include <string>
#include <vector>

namespace cli {

struct ReadFloor {
    std::string file;
    std::string gpu;  // the device it was measured on (the bench's gpu column), empty if the file has none
    int gpu_line = 0; // where the gpu column first names it
    std::vector<std::pair<double, double>> points; // (bytes, microseconds), bytes increasing
};

// Reads einsim-gpu bench's CSV (name,value,unit,...): the read_floor_us_<N>MiB rows, unit "us". Other
// rows are ignored. Throws reports::CsvError at the cell for a malformed name, a value that is not a
// positive number, another unit, a size given twice, or rows naming different GPUs; einsum::InputError when there are fewer than
// two such rows.
ReadFloor read_floor_csv(const std::string& path);

// The floor at `bytes`: linear between the measured sizes; below the smallest, its time (a launch
// costs at least that); past the largest, at the marginal rate of the last two.
double read_floor_us(const ReadFloor& f, double bytes);

} // namespace cli
