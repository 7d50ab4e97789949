// One attention measurement to make on the GPU: the kernel, its work decomposition, the problem
// shape and the tuning knobs. A row of the jobs CSV (jobs_csv.h) parses into one Job.
#pragma once

#include <cstdint>
#include <string>

namespace einsim::gpu {

enum class Kernel { decode, prefill };
enum class Decomposition { data_parallel, split_k, stream_k };
enum class DType { fp16, bf16 };

const char* to_string(Kernel k);
const char* to_string(Decomposition d);
const char* to_string(DType t);

// Shapes follow shared/docs/DESIGN.md: Q [B,H,P,E], K [B,Hkv,M,E], V [B,Hkv,M,F], O [B,H,P,F].
struct Job {
  std::string job_id;
  Kernel kernel = Kernel::decode;
  Decomposition decomposition = Decomposition::data_parallel;
  DType dtype = DType::fp16;
  int64_t B = 1, H = 1, Hkv = 1, E = 128, F = 128, M = 1, P = 1;
  int64_t tile_m = 0;       // prefill: query rows per CTA; decode: ignored (rows = G*P, padded)
  int64_t tile_n = 64;      // keys per K/V tile
  int64_t splits = 0;       // split_k: number of splits, 0 = FlashAttention-2 heuristic
  int64_t ctas_per_sm = 1;  // stream_k: persistent CTAs per SM (clamped by occupancy)
  int64_t warps = 4;        // warps per CTA
  int64_t grid_ctas = 0;    // stream_k: CTAs of the persistent grid; 0 = ctas_per_sm x SMs
  int64_t cluster = 0;      // stream_k: CTAs a thread-block cluster, one unit's CTAs each; 0 = none

  int64_t group() const { return H / Hkv; }  // query heads per KV head
  int64_t element_bytes() const { return 2; }
  // Bytes that must cross device memory: Q, K, V read once and O written once,
  // (B*H*P*E + B*Hkv*M*E + B*Hkv*M*F + B*H*P*F) * 2. Split/stream-K partials are not counted.
  int64_t min_bytes() const {
    return (B * H * P * E + B * Hkv * M * E + B * Hkv * M * F + B * H * P * F) * element_bytes();
  }
};

}  // namespace einsim::gpu
