// How one attention CTA is shaped and how its shared memory is laid out. Computed on the host to
// validate a job (and size the launch) and on the device to find the buffers, from one formula.
//
// A CTA owns `rows_cta` query rows and walks a range of key tiles of `tile_n` keys. Its warps
// form a warps_m x warps_n grid: warp (wm, wn) computes the 16*m_tiles rows starting at
// 16*m_tiles*wm against keys [wn*keys_per_warp, (wn+1)*keys_per_warp) of every tile, in chunks
// of `kc` keys, keeping its own online-softmax state; the warps_n states are merged at the end.
// Two m-tiles a warp (prefill) halve the shared-memory reads of K and V per multiply-add.
#pragma once

#include <cstdint>

#include "hd.h"

namespace einsim::gpu {

constexpr int kSmemRowPadHalfs = 8;  // 16 bytes a Q row: ldmatrix rows land in distinct banks
constexpr int kMaxKvStages = 4;      // deepest K/V cp.async pipeline
// Shared memory a CTA may take while two CTAs still fit on an SM (228 KiB an SM on Hopper,
// 1 KiB of each block's reserved): deeper K/V pipelines are used only within this budget.
constexpr int64_t kPipelineSmemBudget = 113 * 1024;
// The same budget for a stream-K job that asks for one CTA an SM (227 KiB a block on Hopper).
constexpr int64_t kPipelineSmemBudgetOneCta = 226 * 1024;
// For a stream-K job that asks for `ctas_per_sm` CTAs an SM: the SM's 228 KiB shared among them,
// 1 KiB of each reserved (113 KiB for two, 75 for three, 56 for four).
constexpr int64_t stream_k_smem_budget(int64_t ctas_per_sm) {
  return ctas_per_sm <= 1 ? kPipelineSmemBudgetOneCta : 228 * 1024 / ctas_per_sm - 1024;
}
constexpr int kFoldChunk = 16;       // partials merged per step when combining split results
// fp32 state rows in shared memory hold F + 8 floats: the eight rows of an mma fragment (stored
// as float2s by four lanes each) then start 8 banks apart, so a half-warp's stores hit 32
// distinct banks. Rows of F floats (F a multiple of 32) put all eight rows on the same 8 banks.
constexpr int kStateRowPadFloats = 8;

// Where 16-byte chunk `chunk` of K/V row `row` sits within the row in shared memory: the chunk
// index XOR the row's low three bits (rows of 64, 128 or 256 halfs: 8, 16 or 32 chunks).
EINSIM_HD int kv_swizzled_chunk(int row, int chunk) { return chunk ^ (row & 7); }

struct AttentionLayout {
  int E = 0, F = 0;
  int rows_cta = 0;   // query rows per CTA, a multiple of 16
  int tile_n = 0;     // keys per tile
  int warps_m = 0, warps_n = 0;
  int keys_per_warp = 0;  // tile_n / warps_n
  int kc = 0;             // keys per inner chunk (16, 32 or 64): a compile-time kernel parameter
  int m_tiles = 1;        // 16-row tiles a warp (1 or 2): a compile-time kernel parameter
  int stages = 2;         // K/V tiles in flight through shared memory (2..kMaxKvStages)

  EINSIM_HD int warps() const { return warps_m * warps_n; }
  EINSIM_HD int threads() const { return 32 * warps(); }
  EINSIM_HD int q_row_halfs() const { return E + kSmemRowPadHalfs; }
  // K and V rows are not padded: their 16-byte chunks are XOR-swizzled (kv_swizzled_chunk) so
  // that ldmatrix's eight rows still land in distinct banks while each 128-byte line of a row
  // lands in one aligned 128-byte line of shared memory. With padded rows the cp.async copies
  // streamed ~7% below HBM's read rate (32 against 34.5 GB/s an SM on an H200, cuda/NOTES.md).
  EINSIM_HD int k_row_halfs() const { return E; }
  EINSIM_HD int v_row_halfs() const { return F; }

  // Byte offsets into dynamic shared memory. [Q][region]; the region holds the K/V stages while
  // tiles stream, then is reused for the fp32 softmax state when the range is done.
  EINSIM_HD int64_t q_bytes() const { return int64_t(rows_cta) * q_row_halfs() * 2; }
  EINSIM_HD int64_t k_stage_bytes() const { return int64_t(tile_n) * k_row_halfs() * 2; }
  EINSIM_HD int64_t v_stage_bytes() const { return int64_t(tile_n) * v_row_halfs() * 2; }
  EINSIM_HD int64_t kv_bytes() const { return stages * (k_stage_bytes() + v_stage_bytes()); }

  // Floats from one state row of acc to the next.
  EINSIM_HD int state_row_floats() const { return F + kStateRowPadFloats; }
  // State floats, in order: acc[warps_n][rows_cta][F + pad], m[warps_n][rows_cta],
  // l[warps_n][rows_cta], final m[rows_cta], final l[rows_cta], fold weights
  // [kFoldChunk][rows_cta], fold rescale[rows_cta], fold sums [kFoldChunk][rows_cta].
  EINSIM_HD int64_t state_floats() const {
    return int64_t(warps_n) * rows_cta * state_row_floats() + 2 * int64_t(warps_n) * rows_cta + 2 * rows_cta +
           int64_t(kFoldChunk) * rows_cta + rows_cta + int64_t(kFoldChunk) * rows_cta;
  }
  EINSIM_HD int64_t region_bytes() const {
    const int64_t state = state_floats() * 4;
    return kv_bytes() > state ? kv_bytes() : state;
  }
  EINSIM_HD int64_t smem_bytes() const { return q_bytes() + region_bytes(); }
};

// Shared memory of the split-K combine kernel: one state of warps_n = 1.
EINSIM_HD int64_t combine_smem_bytes(int rows_cta, int F) {
  AttentionLayout l;
  l.F = F;
  l.rows_cta = rows_cta;
  l.warps_n = 1;
  return l.state_floats() * 4;
}

}  // namespace einsim::gpu
