#include "attention_launch.h"

#include <algorithm>
#include <cmath>

#include "cuda_check.h"
#include "split_heuristic.h"
#include "stream_k_cluster.h"

namespace einsim::gpu {

static std::string kib(int64_t bytes) { return std::to_string((bytes + 1023) / 1024) + " KiB"; }

// Raises the kernel's dynamic shared memory limit and checks that `threads` fit its registers.
static std::string prepare_kernel(AttentionKernel k, int threads, size_t smem,
                                  const DeviceInfo& dev, const char* what) {
  if (smem > size_t(dev.max_smem_per_block_optin))
    return std::string(what) + " needs " + kib(int64_t(smem)) + " of shared memory, the device " +
           "allows " + kib(dev.max_smem_per_block_optin) + " a block (lower tile_n or tile_m)";
  EINSIM_CUDA_CHECK(cudaFuncSetAttribute(reinterpret_cast<const void*>(k),
                                         cudaFuncAttributeMaxDynamicSharedMemorySize, int(smem)));
  cudaFuncAttributes attr{};
  EINSIM_CUDA_CHECK(cudaFuncGetAttributes(&attr, reinterpret_cast<const void*>(k)));
  if (threads > attr.maxThreadsPerBlock)
    return std::string(what) + " uses " + std::to_string(attr.numRegs) +
           " registers a thread, so at most " + std::to_string(attr.maxThreadsPerBlock / 32) +
           " warps a CTA (asked " + std::to_string(threads / 32) + ")";
  return "";
}

// Stream-K: whether each unit's CTAs run as one thread-block cluster (the mode and the job's
// cluster column), and if so with which kernel, shared memory and clusters resident at once. Empty
// on success, clustered or not (the note says which), else why the job fails: in ClusterMode::job
// a job's cluster is the mapping's choice, so it runs as asked or not at all.
static std::string setup_cluster(const Job& job, const DeviceInfo& dev, ClusterMode mode,
                                 AttentionSetup* s) {
  const AttentionLayout& L = s->plan.layout;
  const int d = int(job.E);
  const int64_t per_unit = stream_k_cluster_size(s->sk, d);
  const std::string asked = "cluster " + std::to_string(job.cluster);
  if (mode == ClusterMode::off) {
    if (job.cluster > 0) s->note += "; the job's " + asked + " not used (--sk-cluster off): run unclustered";
    return "";
  }
  if (mode == ClusterMode::job) {
    if (job.cluster == 0) return "";
    if (per_unit != job.cluster)
      return "stream_k: " + asked + ", but the grid launched " +
             (per_unit > 0 ? "gives " + std::to_string(per_unit) + " CTAs a unit (" +
                                 std::to_string(s->sk.units) + " units x " +
                                 std::to_string(s->sk.tiles_per_unit) + " tiles over " +
                                 std::to_string(s->sk.ctas) + " CTAs)"
                           : "cannot be clustered: " + stream_k_cluster_obstacle(s->sk, d)) +
             " [" + s->note + "]";
  } else {
    if (per_unit == 0) {
      s->note += "; not clustered: " + stream_k_cluster_obstacle(s->sk, d);
      return "";
    }
    if (job.cluster > 0 && job.cluster != per_unit)
      s->note += "; the job's " + asked + " differs from the grid's " + std::to_string(per_unit);
  }
  AttentionKernel c = stream_k_cluster_kernel_for(job.dtype, d, L.kc, L.m_tiles);
  if (!c) {
    const std::string none = "no clustered kernel for E = " + std::to_string(d) + ", kc " +
                             std::to_string(L.kc) + " (E <= 128, kc 16 or 32)";
    if (mode == ClusterMode::job) return "stream_k: " + asked + ", but " + none;
    s->note += "; " + none + ": run unclustered";
    return "";
  }
  const size_t smem =
      size_t(L.smem_bytes() + cluster_receive(L.rows_cta, d, int(per_unit)).bytes(int(per_unit)));
  if (std::string why = prepare_kernel(c, s->threads, smem, dev, "the cluster kernel"); !why.empty())
    return why;
  // Clusters of more than 8 CTAs (the portable size) must be allowed per kernel; Hopper runs 16.
  EINSIM_CUDA_CHECK(cudaFuncSetAttribute(reinterpret_cast<const void*>(c),
                                         cudaFuncAttributeNonPortableClusterSizeAllowed,
                                         per_unit > 8 ? 1 : 0));
  cudaLaunchConfig_t probe{};
  probe.gridDim = dim3(unsigned(s->grid));
  probe.blockDim = dim3(unsigned(s->threads));
  probe.dynamicSmemBytes = smem;
  cudaLaunchAttribute dims{};
  dims.id = cudaLaunchAttributeClusterDimension;
  dims.val.clusterDim = {unsigned(per_unit), 1, 1};
  probe.attrs = &dims;
  probe.numAttrs = 1;
  int resident = 0;
  EINSIM_CUDA_CHECK(cudaOccupancyMaxActiveClusters(&resident, reinterpret_cast<const void*>(c), &probe));
  if (resident < 1)
    return "stream_k: no cluster of " + std::to_string(per_unit) + " CTAs of " + kib(int64_t(smem)) +
           " fits on the device";
  s->main = c;
  s->smem_bytes = smem;
  s->cluster = int(per_unit);
  s->cooperative = false;
  s->partials = 0;
  s->flags = 0;
  const int64_t launched = s->grid / per_unit;
  s->note += "; clusters of " + std::to_string(per_unit) + " CTAs a unit (" + std::to_string(launched) +
             " launched, " + std::to_string(resident) +
             " resident at once), folded in distributed shared memory";
  if (launched > resident) {
    // Clusters wait on no other cluster, so a second wave is slow, not a deadlock; the mapper
    // should size the grid to avoid it.
    const int64_t waves = (launched + resident - 1) / resident;
    s->note += "; " + std::to_string(launched) + " clusters > " + std::to_string(resident) +
               " co-resident: two waves" + (waves > 2 ? " or more (" + std::to_string(waves) + ")" : "");
  }
  return "";
}

std::string setup_attention(const Job& job, const DeviceInfo& dev, const SetupOptions& options,
                            AttentionSetup* out) {
  AttentionSetup s;
  s.job = job;
  const PlanResult pr = plan_launch(job, options.max_kv_stages);
  if (!pr.ok) return pr.reason;
  s.plan = pr.plan;
  const AttentionLayout& L = s.plan.layout;
  const int d = int(job.E);
  s.threads = L.threads();
  s.smem_bytes = size_t(L.smem_bytes());
  const int64_t blocks = s.plan.units * s.plan.blocks_per_unit;

  switch (job.decomposition) {
    case Decomposition::data_parallel:
      s.main = full_range_kernel_for(job.dtype, d, L.kc, L.m_tiles);
      s.grid = blocks;
      break;
    case Decomposition::split_k: {
      s.splits = job.splits;
      if (s.splits == 0) {
        // FlashAttention-2 sizes against two CTAs per SM and at most 128 splits.
        s.splits = fa2_num_splits(int(blocks), 2 * dev.sm_count, int(s.plan.n_tiles), 128);
        s.note = "splits=0 -> " + std::to_string(s.splits) + " (FA2 heuristic)";
      }
      if (s.splits == 1) {
        s.main = full_range_kernel_for(job.dtype, d, L.kc, L.m_tiles);
        s.grid = blocks;
        s.note += std::string(s.note.empty() ? "" : "; ") + "1 split: no combine kernel";
        break;
      }
      if (s.splits > s.plan.n_tiles)
        s.note += std::string(s.note.empty() ? "" : "; ") + std::to_string(s.splits) +
                  " splits > " + std::to_string(s.plan.n_tiles) + " tiles: some splits are empty";
      s.main = split_k_kernel_for(job.dtype, d, L.kc, L.m_tiles);
      s.combine = split_k_combine_kernel_for(job.dtype, d);
      s.grid = blocks * s.splits;
      s.partials = s.grid;
      s.combine_smem_bytes = size_t(combine_smem_bytes(L.rows_cta, L.F));
      break;
    }
    case Decomposition::stream_k:
      s.main = stream_k_kernel_for(job.dtype, d, L.kc, L.m_tiles);
      break;
  }
  if (!s.main)
    return "no compiled kernel for dtype/E/kc/m_tiles " + std::string(to_string(job.dtype)) +
           "/" + std::to_string(d) + "/" + std::to_string(L.kc) + "/" + std::to_string(L.m_tiles);
  if (std::string why = prepare_kernel(s.main, s.threads, s.smem_bytes, dev, "the kernel");
      !why.empty())
    return why;
  if (s.combine) {
    if (std::string why = prepare_kernel(s.combine, s.combine_threads, s.combine_smem_bytes, dev,
                                         "the split-K combine kernel");
        !why.empty())
      return why;
  }

  int resident = 0;  // stream-K: the stream-K kernel's CTAs an SM
  if (job.decomposition == Decomposition::stream_k) {
    EINSIM_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(
        &resident, reinterpret_cast<const void*>(s.main), s.threads, s.smem_bytes));
    if (resident < 1)
      return "stream_k: no CTA of " + std::to_string(s.threads) + " threads and " +
             kib(int64_t(s.smem_bytes)) + " shared memory fits on an SM";
    if (job.grid_ctas == blocks && blocks > int64_t(resident) * dev.sm_count) {
      // A grid of one CTA a unit gives each CTA one whole unit: nothing is handed from one CTA
      // to another, so nothing needs the CTAs resident at once. When more such CTAs are asked
      // for than the stream-K kernel can keep resident (its hand-off and fold cost registers:
      // 218-239 a thread at E = 64), the kernel without hand-off and fold runs them (124-135),
      // as CUTLASS's stream-K scheduler runs whole-tile work data-parallel.
      s.main = full_range_kernel_for(job.dtype, d, L.kc, L.m_tiles);
      if (!s.main) return "no compiled data-parallel kernel for the grid of one CTA a unit";
      if (std::string why = prepare_kernel(s.main, s.threads, s.smem_bytes, dev, "the kernel");
          !why.empty())
        return why;
      s.grid = blocks;
      s.note = "grid " + std::to_string(blocks) + " CTAs = units, more than the stream-K kernel " +
               "keeps resident (" + std::to_string(resident) + " an SM): a whole unit each, run " +
               "by the kernel without hand-off and fold";
      if (job.cluster > 0 && options.stream_k_cluster == ClusterMode::job)
        return "stream_k: cluster " + std::to_string(job.cluster) + ", but the grid launched has " +
               "one CTA a unit, nothing to fold [" + s.note + "]";
      if (job.cluster > 0)
        s.note += "; the job's cluster " + std::to_string(job.cluster) + " not used: run unclustered";
    }
  }
  if (job.decomposition == Decomposition::stream_k && s.grid == 0) {
    int64_t per_sm = job.ctas_per_sm;
    if (per_sm > resident) {
      s.note = "ctas_per_sm " + std::to_string(per_sm) + " clamped to " +
               std::to_string(resident) + " by occupancy";
      per_sm = resident;
    }
    const int64_t total = s.plan.units * s.plan.n_tiles;
    if (total >= (int64_t(1) << 31))
      return "stream_k: " + std::to_string(total) + " tiles, the kernel indexes fewer than 2^31";
    int64_t ctas = std::min<int64_t>(per_sm * dev.sm_count, total);
    if (job.grid_ctas > 0) {
      // The mapping's own grid, within what can be resident at once (the flag waits need every
      // CTA resident) and the tiles.
      ctas = std::min<int64_t>({job.grid_ctas, int64_t(resident) * dev.sm_count, total});
      if (ctas != job.grid_ctas)
        s.note += std::string(s.note.empty() ? "" : "; ") + "grid_ctas " +
                  std::to_string(job.grid_ctas) + " clamped to " + std::to_string(ctas);
    }
    if (options.snap_stream_k_grid) {
      const int64_t snapped = stream_k_snapped_ctas(s.plan.units, s.plan.n_tiles, ctas);
      if (snapped != ctas)
        s.note += std::string(s.note.empty() ? "" : "; ") + "grid snapped " +
                  std::to_string(ctas) + " -> " + std::to_string(snapped);
      ctas = snapped;
    }
    s.sk = make_stream_k_space(s.plan.units, s.plan.n_tiles, ctas);
    s.grid = s.sk.ctas;
    s.partials = s.sk.ctas;
    s.flags = s.sk.ctas;
    s.cooperative = true;
    s.note += std::string(s.note.empty() ? "" : "; ") + "grid " + std::to_string(s.grid) +
              " CTAs over " + std::to_string(total) + " tiles";
    if (std::string why = setup_cluster(job, dev, options.stream_k_cluster, &s); !why.empty())
      return why;
  }
  if (s.grid < 1 || s.grid > 0x7fffffff) return "grid of " + std::to_string(s.grid) + " CTAs";
  s.note += std::string(s.note.empty() ? "" : "; ") + "CTA " + std::to_string(L.rows_cta) +
            " rows, warps " + std::to_string(L.warps_m) + "x" + std::to_string(L.warps_n) +
            ", m_tiles " + std::to_string(L.m_tiles) + ", kc " + std::to_string(L.kc) +
            ", stages " + std::to_string(L.stages) + ", smem " + kib(int64_t(s.smem_bytes));
  *out = s;
  return "";
}

AttentionParams make_params(const AttentionSetup& s) {
  AttentionParams p;
  p.M = s.job.M;
  p.rows_per_unit = s.plan.rows_per_unit;
  p.blocks_per_unit = s.plan.blocks_per_unit;
  p.units = s.plan.units;
  p.n_tiles = s.plan.n_tiles;
  p.splits = s.splits;
  p.sk = s.sk;
  p.layout = s.plan.layout;
  p.scale_log2 = float(1.4426950408889634 / std::sqrt(double(s.job.E)));
  return p;
}

void launch_attention(const AttentionSetup& s, const AttentionParams& p, cudaStream_t stream) {
  if (s.cluster > 1) {
    cudaLaunchConfig_t config{};
    config.gridDim = dim3(unsigned(s.grid));
    config.blockDim = dim3(unsigned(s.threads));
    config.dynamicSmemBytes = s.smem_bytes;
    config.stream = stream;
    cudaLaunchAttribute attribute{};
    attribute.id = cudaLaunchAttributeClusterDimension;
    attribute.val.clusterDim.x = unsigned(s.cluster);
    attribute.val.clusterDim.y = 1;
    attribute.val.clusterDim.z = 1;
    config.attrs = &attribute;
    config.numAttrs = 1;
    EINSIM_CUDA_CHECK(cudaLaunchKernelEx(&config, s.main, p));
  } else if (s.cooperative) {
    AttentionParams arg = p;
    void* args[] = {&arg};
    EINSIM_CUDA_CHECK(cudaLaunchCooperativeKernel(reinterpret_cast<const void*>(s.main),
                                                  dim3(unsigned(s.grid)), dim3(s.threads), args,
                                                  s.smem_bytes, stream));
  } else {
    s.main<<<unsigned(s.grid), s.threads, s.smem_bytes, stream>>>(p);
    EINSIM_CUDA_CHECK(cudaGetLastError());
  }
  if (s.combine) {
    s.combine<<<unsigned(s.plan.units), s.combine_threads, s.combine_smem_bytes, stream>>>(p);
    EINSIM_CUDA_CHECK(cudaGetLastError());
  }
}

}  // namespace einsim::gpu
