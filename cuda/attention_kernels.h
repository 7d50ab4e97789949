// Host-visible entry points of the attention kernels, one family per decomposition. Each returns
// the instantiation for (dtype, head dim E = F, key chunk kc, 16-row tiles a warp), or nullptr
// when none is compiled.
#pragma once

#include "job.h"
#include "kernel_select.cuh"

namespace einsim::gpu {

// Data-parallel decode (one CTA per (b, hkv)) and prefill (one CTA per row block): a CTA walks
// all of M and writes normalised output. Grid: units * blocks_per_unit.
AttentionKernel full_range_kernel_for(DType dtype, int head_dim, int kc, int m_tiles);

// Split-K decode (FlashDecoding): grid units * splits; CTA (unit, s) walks its contiguous share
// of the key tiles and writes a partial; the combine kernel (grid: units, any block size) merges
// the `splits` partials of each unit and writes the output.
AttentionKernel split_k_kernel_for(DType dtype, int head_dim, int kc, int m_tiles);
AttentionKernel split_k_combine_kernel_for(DType dtype, int head_dim);

// Stream-K decode (LeanAttention): a persistent grid of sk.ctas CTAs, launched cooperatively
// so all are resident (host CTAs wait on their contributors).
AttentionKernel stream_k_kernel_for(DType dtype, int head_dim, int kc, int m_tiles);

// Stream-K decode with a unit's CTAs launched as one thread-block cluster (2..16 CTAs a unit, each
// range within its unit): the states are folded through distributed shared memory, without
// partials or flags (decode_stream_k_cluster.cu). E <= 128 and kc 16 or 32, else nullptr.
AttentionKernel stream_k_cluster_kernel_for(DType dtype, int head_dim, int kc, int m_tiles);

}  // namespace einsim::gpu
