#include "mappings/gpu_mapping.h"

#include <string>

namespace mappings {

namespace {
std::string num(std::int64_t v) { return std::to_string(v); }
} // namespace

const char* name(Decomposition d) {
    switch (d) {
    case Decomposition::data_parallel: return "data_parallel";
    case Decomposition::split_k: return "split_k";
    case Decomposition::stream_k: return "stream_k";
    }
    return "?";
}

std::optional<Decomposition> parse_decomposition(std::string_view text) {
    if (text == "data_parallel" || text == "dp") return Decomposition::data_parallel;
    if (text == "split_k" || text == "splitk") return Decomposition::split_k;
    if (text == "stream_k" || text == "streamk") return Decomposition::stream_k;
    return std::nullopt;
}

std::string decomposition_text(const GpuMapping& m) {
    switch (m.decomposition) {
    case Decomposition::data_parallel: return "data_parallel";
    case Decomposition::split_k: return "split_k(" + num(m.splits) + ")";
    case Decomposition::stream_k: {
        std::string grid = m.grid_ctas > 0 ? num(m.grid_ctas) + " CTAs" : m.ctas_per_sm > 0 ? num(m.ctas_per_sm) + "/SM" : "";
        std::string clusters = m.cluster > 1 ? "clusters of " + num(m.cluster) : "";
        std::string inside = grid + (!grid.empty() && !clusters.empty() ? ", " : "") + clusters;
        return inside.empty() ? "stream_k" : "stream_k(" + inside + ")";
    }
    }
    return "?";
}

std::string describe(const GpuMapping& m) {
    return m.name + ": " + decomposition_text(m) + ", tile " + num(m.tile_q) + "x" + num(m.tile_kv) + ", stages " + num(m.stages) +
           ", " + num(m.warps) + " warps" + (m.warps_kv != 1 ? " (" + num(m.warps_kv) + " along keys)" : "") + ", gqa_pack " +
           (m.gqa_pack ? "on" : "off");
}

std::string to_toml(const GpuMapping& m) {
    std::string s = "[gpu_mapping]\n";
    s += "name = \"" + m.name + "\"\n";
    s += "decomposition = \"" + std::string(name(m.decomposition)) + "\"\n";
    if (m.decomposition == Decomposition::split_k) s += "splits = " + num(m.splits) + "\n";
    if (m.decomposition == Decomposition::stream_k) {
        s += "ctas_per_sm = " + num(m.ctas_per_sm) + "\n";
        if (m.grid_ctas > 0) s += "grid_ctas = " + num(m.grid_ctas) + "\n";
        if (m.cluster > 1) s += "cluster = " + num(m.cluster) + "\n";
    }
    if (m.warps_kv != 1) s += "warps_kv = " + num(m.warps_kv) + "\n";
    s += "tile_q = " + num(m.tile_q) + "\ntile_kv = " + num(m.tile_kv) + "\nstages = " + num(m.stages) + "\nwarps = " + num(m.warps) +
         "\ngqa_pack = " + (m.gqa_pack ? "true" : "false") + "\n";
    return s;
}

} // namespace mappings
