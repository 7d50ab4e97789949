#include "sim/edge/edge_model.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sim {
namespace {

// The device figures the model uses, per cycle of the device clock.
struct Rates {
    double mac = 0, exp = 0, vec = 0;  // per cycle, all units
    double operand_bytes = 2;
    double mac_pj = 0;
    double staging_pj_per_byte = 0;    // a DRAM byte written into and read out of every on-chip level
    double innermost_read_pj = 0;
    double onchip_bytes = 0;           // all levels, all units
    double key_tile = 1;               // keys whose K rows (E values) fit the innermost level of one unit
    double dram_bytes_per_cycle = 0;
};

Rates rates(const arch::EdgeArch& a, const EdgeWorkload& w) {
    Rates r;
    const double units = double(a.compute.units);
    const bool int8 = w.element_type == "int8";
    r.mac = units * (int8 ? a.compute.int8_macs_per_cycle_per_unit : a.compute.fp16_macs_per_cycle_per_unit);
    r.exp = units * a.compute.exp_per_cycle_per_unit;
    r.vec = units * a.compute.fp16_macs_per_cycle_per_unit; // vector work takes FP16 MAC slots
    r.operand_bytes = int8 ? 1 : 2;
    r.mac_pj = int8 ? a.energy.int8_mac_pj : a.energy.fp16_mac_pj;
    for (const auto& l : a.memory) {
        r.staging_pj_per_byte += l.read_pj_per_byte + l.write_pj_per_byte;
        r.onchip_bytes += double(l.capacity_bytes) * (l.per_unit ? units : 1.0);
    }
    if (!a.memory.empty()) {
        const auto& l1 = a.memory.front();
        r.innermost_read_pj = l1.read_pj_per_byte;
        const double per_unit = l1.per_unit ? double(l1.capacity_bytes) : double(l1.capacity_bytes) / units;
        r.key_tile = std::max(1.0, std::floor(per_unit / (double(w.head_dim) * r.operand_bytes)));
    }
    r.dram_bytes_per_cycle = a.dram_bandwidth_bytes_per_cycle();
    return r;
}

// Turns counted work and traffic into cycles and energy for one layer.
void finish(EdgeCost& c, const arch::EdgeArch& a, const Rates& r) {
    const double units = double(a.compute.units);
    c.compute_cycles = c.macs / r.mac + (r.exp > 0 ? c.exps / r.exp : 0) + c.vector_ops / r.vec;
    c.overhead_cycles = c.kept_elements * a.sparsity.overhead_cycles_per_kept_element / units;
    c.dram_cycles = (c.dram_read_bytes + c.dram_write_bytes) / r.dram_bytes_per_cycle;
    const double busy = c.compute_cycles + c.overhead_cycles;
    c.cycles = std::max(busy, c.dram_cycles);
    c.bound = busy >= c.dram_cycles ? "compute" : "dram";
    c.time_s = c.cycles / (a.clock_mhz * 1e6);
    c.compute_pj = c.macs * r.mac_pj + c.exps * a.energy.exp_pj + c.vector_ops * a.energy.fp16_mac_pj;
    c.overhead_pj = c.kept_elements * a.sparsity.overhead_pj_per_kept_element;
    c.onchip_pj = (c.dram_read_bytes + c.dram_write_bytes) * r.staging_pj_per_byte + c.index_bytes * r.innermost_read_pj;
    c.dram_pj = c.dram_read_bytes * a.energy.dram_read_pj_per_byte + c.dram_write_bytes * a.energy.dram_write_pj_per_byte;
    c.static_pj = a.energy.static_power_mw * 1e-3 * c.time_s * 1e12;
    c.energy_pj = c.compute_pj + c.overhead_pj + c.onchip_pj + c.dram_pj + c.static_pj;
}

void scale(EdgeCost& c, double k) {
    for (double* x : {&c.macs, &c.skipped_macs, &c.exps, &c.vector_ops, &c.kept_elements, &c.index_bytes, &c.compute_cycles,
                      &c.overhead_cycles, &c.dram_cycles, &c.cycles, &c.time_s, &c.dram_read_bytes, &c.dram_write_bytes,
                      &c.kv_read_bytes, &c.state_bytes, &c.compute_pj, &c.overhead_pj, &c.onchip_pj, &c.dram_pj, &c.static_pj,
                      &c.energy_pj})
        *x *= k;
}

// The delta path's extra work for `queries` rows whose keys outside the window total `outside`,
// `leaving` of them just leaving it (scored densely with the reference query), with `key_tiles`
// passes over kept K rows in all: kept MACs replace the dense ones for the older keys.
void add_delta_work(EdgeCost& c, const arch::EdgeArch& a, const EdgeWorkload& w, double q, double queries, double outside, double leaving,
                    double key_tiles) {
    const double H = double(w.heads), E = double(w.head_dim), G = double(a.sparsity.block_elements);
    c.skipped_macs = H * E * (outside - leaving) * q;
    c.macs -= c.skipped_macs;
    c.vector_ops += H * (3 * E * queries + outside);
    c.kept_elements = H * E * (1 - q) * key_tiles;
    c.index_bytes = c.kept_elements / G * a.sparsity.index_bytes_per_kept_block;
}

void check(const arch::EdgeArch& a, const EdgeWorkload& w, const EdgeSparsityInput& s) {
    auto positive = [](std::int64_t v, const char* what) {
        if (v < 1) throw std::invalid_argument(std::string(what) + " must be at least 1, got " + std::to_string(v));
    };
    positive(w.heads, "heads");
    positive(w.kv_heads, "kv_heads");
    positive(w.head_dim, "head_dim");
    positive(w.value_dim, "value_dim");
    positive(w.layers, "layers");
    positive(w.batch, "batch");
    positive(w.prefill_tokens, "prefill tokens");
    positive(w.decode_context, "decode context");
    if (w.window < 0) throw std::invalid_argument("the window W must not be negative");
    if (w.heads % w.kv_heads != 0) throw std::invalid_argument("heads must be a multiple of kv_heads");
    if (w.element_type != "fp16" && w.element_type != "int8")
        throw std::invalid_argument("element type '" + w.element_type + "': the edge model knows fp16 and int8");
    if (!(s.element_sparsity >= 0 && s.element_sparsity <= 1)) throw std::invalid_argument("sparsity must lie in [0, 1]");
    if (s.block_skip_probability && !(*s.block_skip_probability >= 0 && *s.block_skip_probability <= 1))
        throw std::invalid_argument("block skip probability must lie in [0, 1]");
    if (a.compute.units < 1 || a.clock_mhz <= 0 || a.dram.bandwidth_gb_per_s <= 0 || a.sparsity.block_elements < 1)
        throw std::invalid_argument("the edge architecture needs compute units, a clock, DRAM bandwidth and a block size");
}

} // namespace

double block_skip_probability(double element_sparsity, std::int64_t block_elements) {
    return std::pow(std::clamp(element_sparsity, 0.0, 1.0), double(std::max<std::int64_t>(1, block_elements)));
}

EdgeResult simulate_edge(const arch::EdgeArch& a, const std::string& arch_name, const EdgeWorkload& w, const EdgeSparsityInput& s) {
    check(a, w, s);
    const Rates r = rates(a, w);
    const double H = double(w.heads), Hkv = double(w.kv_heads), E = double(w.head_dim), F = double(w.value_dim);
    const double b = r.operand_bytes, sb = w.score_bytes, group = H / Hkv;
    const double W = double(std::max<std::int64_t>(1, w.window)); // a new key has no earlier score: always exact

    EdgeResult res;
    res.arch = arch_name;
    res.model = w.model;
    res.element_type = w.element_type;
    res.heads = w.heads, res.kv_heads = w.kv_heads, res.head_dim = w.head_dim, res.value_dim = w.value_dim;
    res.layers = w.layers, res.batch = w.batch;
    res.prefill_tokens = w.prefill_tokens, res.decode_context = w.decode_context, res.window = w.window;
    res.block_elements = a.sparsity.block_elements;
    res.element_sparsity = s.element_sparsity;
    res.sparsity_source = s.source;
    const double q = s.block_skip_probability ? *s.block_skip_probability : block_skip_probability(s.element_sparsity, a.sparsity.block_elements);
    const double q_kv = std::pow(q, group);
    res.block_skip_probability = q;
    res.kv_block_skip_probability = q_kv;

    // Prefill of N tokens, causal: query i sees keys 0..i, of which max(0, i + 1 - W) lie outside the window.
    {
        const double N = double(w.prefill_tokens);
        const double pairs = N * (N + 1) / 2, outside = N > W ? (N - W) * (N - W + 1) / 2 : 0;
        // Query i scores the key leaving its window (i - W) with QR and the older ones by delta.
        const double leaving = std::max(0.0, N - W);
        double key_tiles = 0;
        for (std::int64_t i = 0; i < w.prefill_tokens; ++i) key_tiles += std::ceil(std::max(0.0, double(i) - W) / r.key_tile);
        EdgeCost d;
        d.macs = H * (E + F) * pairs;
        d.exps = H * pairs;
        d.vector_ops = H * (3 * pairs + F * N);
        // K and V stream once when a layer's K/V fit half the on-chip memory, else once per block of
        // query rows that does (their Q and output rows, all heads).
        const double kv_bytes = Hkv * (E + F) * N * b;
        double passes = 1;
        if (kv_bytes > r.onchip_bytes / 2) passes = std::ceil(N / std::max(1.0, std::floor(r.onchip_bytes / 2 / (H * (E + F) * b))));
        d.kv_read_bytes = kv_bytes * passes;
        d.dram_read_bytes = H * E * N * b + d.kv_read_bytes;
        d.dram_write_bytes = H * F * N * b + kv_bytes; // outputs, and K/V appended to the cache
        EdgeCost x = d;
        add_delta_work(x, a, w, q, N, outside, leaving, key_tiles);
        x.state_bytes = H * N * sb + H * E * b; // the last score row and reference query, handed to decode
        x.dram_write_bytes += x.state_bytes;
        finish(d, a, r);
        finish(x, a, r);
        res.prefill = {"prefill", d, x};
    }
    // One decode step with C keys in the cache (its own included).
    {
        const double C = double(w.decode_context);
        const double outside = std::max(0.0, C - W), inside = C - outside;
        EdgeCost d;
        d.macs = H * (E + F) * C;
        d.exps = H * C;
        d.vector_ops = H * (3 * C + F);
        d.kv_read_bytes = Hkv * (E + F) * C * b;
        d.dram_read_bytes = H * E * b + d.kv_read_bytes;
        d.dram_write_bytes = H * F * b + Hkv * (E + F) * b;
        EdgeCost x = d;
        const double leaving = outside > 0 ? 1 : 0, older = outside - leaving;
        add_delta_work(x, a, w, q, 1, outside, leaving, std::ceil(older / r.key_tile));
        x.kv_read_bytes = Hkv * E * b * (inside + leaving + older * (1 - q_kv)) + Hkv * F * C * b;
        const double state_read = H * older * sb + H * E * b, state_write = H * std::min(C, outside + 1) * sb + H * E * b;
        x.state_bytes = state_read + state_write;
        x.dram_read_bytes = H * E * b + x.kv_read_bytes + state_read;
        x.dram_write_bytes += state_write;
        finish(d, a, r);
        finish(x, a, r);
        res.decode = {"decode", d, x};
    }
    const double k = double(w.layers) * double(w.batch);
    for (EdgeStage* st : {&res.prefill, &res.decode}) {
        scale(st->dense, k);
        scale(st->delta, k);
    }
    return res;
}

} // namespace sim
