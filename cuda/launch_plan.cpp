#include "launch_plan.h"

namespace einsim::gpu {

bool head_dim_supported(int64_t e, int64_t f) { return e == f && (e == 64 || e == 128 || e == 256); }

static PlanResult reject(const std::string& why) {
  PlanResult r;
  r.reason = why;
  return r;
}

PlanResult plan_launch(const Job& job, int max_kv_stages) {
  using std::to_string;
  if (!head_dim_supported(job.E, job.F))
    return reject("unsupported head dims E=" + to_string(job.E) + " F=" + to_string(job.F) +
                  " (compiled: E == F in {64, 128, 256})");
  if (job.warps < 1 || job.warps > 16)
    return reject("warps=" + to_string(job.warps) + " out of range 1..16");
  if (job.tile_n < 16 || job.tile_n > 512 || job.tile_n % 16 != 0)
    return reject("tile_n=" + to_string(job.tile_n) + " must be a multiple of 16 in 16..512");

  LaunchPlan p;
  p.units = job.B * job.Hkv;
  p.rows_per_unit = job.group() * job.P;
  p.n_tiles = (job.M + job.tile_n - 1) / job.tile_n;
  int64_t rows_cta = 0;
  if (job.kernel == Kernel::decode) {
    // GQA packing: the G*P query rows of one KV head share every K/V tile, in one CTA.
    if (p.rows_per_unit > 64)
      return reject("decode packs (H/Hkv)*P = " + to_string(p.rows_per_unit) +
                    " query rows into one CTA; at most 64 are supported");
    rows_cta = (p.rows_per_unit + 15) / 16 * 16;
  } else {
    if (job.tile_m < 16 || job.tile_m > 256 || job.tile_m % 16 != 0)
      return reject("prefill tile_m=" + to_string(job.tile_m) +
                    " must be a multiple of 16 in 16..256");
    rows_cta = job.tile_m;
  }
  p.blocks_per_unit = (p.rows_per_unit + rows_cta - 1) / rows_cta;

  AttentionLayout& l = p.layout;
  l.E = static_cast<int>(job.E);
  l.F = static_cast<int>(job.F);
  l.rows_cta = static_cast<int>(rows_cta);
  l.tile_n = static_cast<int>(job.tile_n);
  const int row_tiles = static_cast<int>(rows_cta / 16);
  if (job.kernel == Kernel::prefill && job.warps < row_tiles) {
    // Fewer warps than 16-row tiles: each warp takes two (FlashAttention-2's 128 rows, 4 warps).
    if (row_tiles != 2 * job.warps)
      return reject("prefill tile_m=" + to_string(job.tile_m) + " with warps=" +
                    to_string(job.warps) + ": need warps >= tile_m/16 or warps == tile_m/32");
    if (job.F > 128)
      return reject("prefill with two 16-row tiles a warp (warps == tile_m/32) supports F <= 128");
    l.m_tiles = 2;
  }
  l.warps_m = row_tiles / l.m_tiles;
  if (job.warps % l.warps_m != 0)
    return reject("warps=" + to_string(job.warps) + " must be a multiple of the " +
                  to_string(l.warps_m) + " warps needed along the " + to_string(rows_cta) +
                  " query rows of a CTA (16 rows a warp)");
  l.warps_n = static_cast<int>(job.warps / l.warps_m);
  if (job.tile_n % (16 * l.warps_n) != 0)
    return reject("tile_n=" + to_string(job.tile_n) + " must split into " +
                  to_string(l.warps_n) + " warp slices of a multiple of 16 keys");
  l.keys_per_warp = l.tile_n / l.warps_n;
  const int max_kc = job.E >= 256 ? 16 : 64;  // E = 256: kc 32 spills registers (ptxas -v)
  l.kc = 16;
  for (int kc : {64, 32})
    if (kc <= max_kc && l.keys_per_warp % kc == 0) {
      l.kc = kc;
      break;
    }
  // The deepest K/V pipeline allowed that keeps two CTAs an SM, never fewer than two stages.
  if (max_kv_stages < 2 || max_kv_stages > kMaxKvStages)
    return reject("K/V pipeline depth " + to_string(max_kv_stages) + " out of range 2.." +
                  to_string(kMaxKvStages));
  l.stages = 2;
  const int64_t budget = job.decomposition == Decomposition::stream_k && job.ctas_per_sm >= 1
                             ? stream_k_smem_budget(job.ctas_per_sm)
                             : kPipelineSmemBudget;
  for (int stages = max_kv_stages; stages > 2; --stages) {
    AttentionLayout deeper = l;
    deeper.stages = stages;
    if (deeper.smem_bytes() <= budget) {
      l.stages = stages;
      break;
    }
  }

  if (job.decomposition == Decomposition::split_k && job.splits > 1024)
    return reject("splits=" + to_string(job.splits) + " out of range 0..1024");
  if (job.decomposition == Decomposition::stream_k && job.ctas_per_sm > 32)
    return reject("ctas_per_sm=" + to_string(job.ctas_per_sm) + " out of range 1..32");
  PlanResult r;
  r.ok = true;
  r.plan = p;
  return r;
}

}  // namespace einsim::gpu
