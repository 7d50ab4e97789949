#include "cluster_bench.h"

#include <cooperative_groups.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <random>
#include <string>

#include "cuda_check.h"
#include "device_buffer.h"
#include "device_stream.h"
#include "event_timer.h"
#include "gpc_map.h"

namespace einsim::gpu {

namespace cg = cooperative_groups;

namespace {

constexpr int kClusterSizes[] = {2, 4, 8, 16};
constexpr int kThreads = 256;         // the placement and occupancy kernel's CTA
constexpr int kPlacementLaunches = 8;  // a cluster size: one wave, then seven of three waves each
constexpr int kHoldClocks = 20000;     // a CTA of a multi-wave launch holds its SM 0..this long
constexpr int kChaseWords = 4096;      // 16 KiB a chase array
constexpr int kChaseHops = 1 << 16;
constexpr int kChaseLaunches = 5;
constexpr int kPushThreads = 512;
constexpr int kPushBytes = 64 << 10;   // stored into the next rank each pass
constexpr int kPushPasses = 2000;

__device__ __forceinline__ unsigned sm_id() {
  unsigned s;
  asm volatile("mov.u32 %0, %%smid;" : "=r"(s));
  return s;
}
__device__ __forceinline__ unsigned cluster_id_x() {
  unsigned c;
  asm volatile("mov.u32 %0, %%clusterid.x;" : "=r"(c));
  return c;
}
__device__ __forceinline__ long long global_ns() {
  long long t;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
  return t;
}
__device__ __forceinline__ uint32_t shared_address(const void* p) {
  return uint32_t(__cvta_generic_to_shared(p));
}
// The shared::cluster address of `cta_address` (a shared::cta address) in CTA `rank`'s window.
__device__ __forceinline__ uint32_t map_to_rank(uint32_t cta_address, unsigned rank) {
  uint32_t a;
  asm volatile("mapa.shared::cluster.u32 %0, %1, %2;" : "=r"(a) : "r"(cta_address), "r"(rank));
  return a;
}

// Each CTA records (its SM, its cluster); with hold_clocks > 0 its first thread then keeps the SM
// for a pseudo-random 0..hold_clocks clocks, so that the later waves of a grid larger than what
// fits at once find other mixes of free SMs.
__global__ void cluster_place_kernel(int2* where, uint32_t seed, int hold_clocks) {
  if (threadIdx.x != 0) return;
  where[blockIdx.x] = make_int2(int(sm_id()), int(cluster_id_x()));
  if (hold_clocks > 0) {
    uint32_t h = (blockIdx.x + 1) * 0x9e3779b9u ^ seed;
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    const long long until = clock64() + h % uint32_t(hold_clocks);
    while (clock64() < until) {
    }
  }
}

// A cluster of 2: every CTA fills two arrays of its shared memory with the links of one cycle,
// `next`: [0, N) holds shared::cta addresses, [N, 2N) shared::cluster ones. After a cluster barrier
// CTA 0's first thread chases its own array by ld.shared, then CTA 1's by ld.shared::cluster, each
// load's address the previous load's value. result: local cycles, ns, remote cycles, ns, a sink,
// then the SM of rank 0 and of rank 1.
__global__ void dsmem_chase_kernel(const uint32_t* next, int hops, long long* result) {
  extern __shared__ __align__(16) uint32_t links[];
  cg::cluster_group cluster = cg::this_cluster();
  const unsigned rank = cluster.block_rank();
  for (int i = threadIdx.x; i < kChaseWords; i += blockDim.x) {
    links[i] = shared_address(&links[next[i]]);
    links[kChaseWords + i] = map_to_rank(shared_address(&links[kChaseWords + next[i]]), rank);
  }
  cluster.sync();  // both arrays filled; CTA 1 stays until the second barrier
  if (threadIdx.x == 0) result[6 + rank] = sm_id();
  if (rank == 0 && threadIdx.x == 0) {
    uint32_t a = shared_address(&links[0]);
    for (int i = 0; i < 256; ++i) asm volatile("ld.shared.u32 %0, [%0];" : "+r"(a));
    long long t0 = global_ns(), c0 = clock64();
#pragma unroll 8
    for (int i = 0; i < hops; ++i) asm volatile("ld.shared.u32 %0, [%0];" : "+r"(a));
    long long c1 = clock64(), t1 = global_ns();
    result[0] = c1 - c0;
    result[1] = t1 - t0;
    uint32_t r = map_to_rank(shared_address(&links[kChaseWords]), 1);
    for (int i = 0; i < 256; ++i) asm volatile("ld.shared::cluster.u32 %0, [%0];" : "+r"(r));
    t0 = global_ns(), c0 = clock64();
#pragma unroll 8
    for (int i = 0; i < hops; ++i) asm volatile("ld.shared::cluster.u32 %0, [%0];" : "+r"(r));
    c1 = clock64(), t1 = global_ns();
    result[2] = c1 - c0;
    result[3] = t1 - t0;
    result[4] = a + r;
  }
  cluster.sync();
}

// Clusters of 4: each CTA stores `bytes` of float4 into the shared memory of the next rank, `passes`
// times (st.shared::cluster.v4, a value per pass so that no store is redundant).
__global__ void dsmem_push_kernel(int bytes, int passes) {
  extern __shared__ __align__(16) float4 inbox[];
  cg::cluster_group cluster = cg::this_cluster();
  const unsigned rank = cluster.block_rank();
  const uint32_t remote = map_to_rank(shared_address(inbox), (rank + 1) % cluster.num_blocks());
  cluster.sync();  // the next rank has started: its shared memory may be written
  const int n4 = bytes / 16;
  for (int p = 0; p < passes; ++p) {
    const float v = float(p);
    for (int i = threadIdx.x; i < n4; i += blockDim.x)
      asm volatile("st.shared::cluster.v4.f32 [%0], {%1, %2, %3, %4};" ::"r"(remote + 16u * i),
                   "f"(v), "f"(v), "f"(v), "f"(v)
                   : "memory");
  }
  cluster.sync();  // every store has landed before any CTA exits
}

cudaLaunchConfig_t cluster_config(int64_t grid, int threads, size_t smem, int cluster,
                                  cudaStream_t stream, cudaLaunchAttribute* attribute) {
  cudaLaunchConfig_t c{};
  c.gridDim = dim3(unsigned(grid));
  c.blockDim = dim3(unsigned(threads));
  c.dynamicSmemBytes = smem;
  c.stream = stream;
  attribute->id = cudaLaunchAttributeClusterDimension;
  attribute->val.clusterDim.x = unsigned(cluster);
  attribute->val.clusterDim.y = 1;
  attribute->val.clusterDim.z = 1;
  c.attrs = attribute;
  c.numAttrs = 1;
  return c;
}

// Up to the opt-in dynamic shared memory, the most shared memory an SM can give, clusters of 16.
void prepare(const void* kernel, const DeviceInfo& dev) {
  EINSIM_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                         dev.max_smem_per_block_optin));
  EINSIM_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributePreferredSharedMemoryCarveout,
                                         int(cudaSharedmemCarveoutMaxShared)));
  EINSIM_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeNonPortableClusterSizeAllowed, 1));
}

int max_active_clusters(const void* kernel, int threads, size_t smem, int cluster, const DeviceInfo& dev) {
  cudaLaunchAttribute attribute{};
  const cudaLaunchConfig_t c =
      cluster_config(int64_t(cluster) * dev.sm_count, threads, smem, cluster, nullptr, &attribute);
  int n = 0;
  EINSIM_CUDA_CHECK(cudaOccupancyMaxActiveClusters(&n, kernel, &c));
  return n;
}

// Dynamic shared memory with which exactly `ctas` CTAs of `threads` share an SM (0 if none does):
// an SM's shared memory over `ctas`, less what the runtime reserves a block, shrunk until the
// occupancy API agrees.
size_t smem_for_ctas_per_sm(const void* kernel, int threads, int ctas, const DeviceInfo& dev) {
  int per_sm = 0, reserved = 0;
  EINSIM_CUDA_CHECK(cudaDeviceGetAttribute(&per_sm, cudaDevAttrMaxSharedMemoryPerMultiprocessor, dev.device));
  EINSIM_CUDA_CHECK(cudaDeviceGetAttribute(&reserved, cudaDevAttrReservedSharedMemoryPerBlock, dev.device));
  int64_t smem = std::min<int64_t>(per_sm / ctas - reserved, dev.max_smem_per_block_optin) / 1024 * 1024;
  for (; smem >= 1024; smem -= 1024) {
    int fit = 0;
    EINSIM_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&fit, kernel, threads, size_t(smem)));
    if (fit == ctas) return size_t(smem);
    if (fit > ctas) return 0;
  }
  return 0;
}

std::string kib(size_t bytes) { return std::to_string((bytes + 1023) / 1024) + " KiB"; }

// (a) Where clusters of 2..16 CTAs, one CTA an SM, land; the GPCs are what they connect.
GpcMap find_gpcs(const DeviceInfo& dev, size_t smem, cudaStream_t stream, std::string* how) {
  const void* kernel = reinterpret_cast<const void*>(cluster_place_kernel);
  std::vector<std::vector<int>> clusters;
  std::string reach;
  int odd = 0;
  for (int c : kClusterSizes) {
    const int active = max_active_clusters(kernel, kThreads, smem, c, dev);
    std::vector<bool> reached(size_t(dev.sm_count), false);
    for (int launch = 0; active > 0 && launch < kPlacementLaunches; ++launch) {
      const int64_t grid = int64_t(active) * c * (launch == 0 ? 1 : 3);
      DeviceBuffer where(sizeof(int2) * size_t(grid));
      cudaLaunchAttribute attribute{};
      const cudaLaunchConfig_t config = cluster_config(grid, kThreads, smem, c, stream, &attribute);
      EINSIM_CUDA_CHECK(cudaLaunchKernelEx(&config, cluster_place_kernel, where.get<int2>(),
                                           uint32_t(launch * 7919 + c), launch == 0 ? 0 : kHoldClocks));
      EINSIM_CUDA_CHECK(cudaStreamSynchronize(stream));
      std::vector<int2> h(static_cast<size_t>(grid));
      EINSIM_CUDA_CHECK(cudaMemcpy(h.data(), where.get(), where.bytes(), cudaMemcpyDeviceToHost));
      std::map<int, std::vector<int>> by_cluster;
      for (const int2& w : h) {
        by_cluster[w.y].push_back(w.x);
        if (w.x >= 0 && w.x < dev.sm_count) reached[size_t(w.x)] = true;
      }
      for (auto& entry : by_cluster) {
        odd += int(entry.second.size()) != c;
        clusters.push_back(std::move(entry.second));
      }
    }
    reach += std::string(reach.empty() ? "" : "/") +
             std::to_string(std::count(reached.begin(), reached.end(), true));
  }
  *how = "SMs reached by clusters of 2/4/8/16: " + reach + " of " + std::to_string(dev.sm_count) +
         "; " + std::to_string(kPlacementLaunches) + " launches a size (one wave of " +
         "max-active clusters, then 3 waves with CTAs held 0.." + std::to_string(kHoldClocks) +
         " clocks), 1 CTA of " + std::to_string(kThreads) + " threads and " + kib(smem) + " an SM";
  if (odd) *how += "; " + std::to_string(odd) + " clusters whose %clusterid.x held another CTA count";
  return gpc_map_from_clusters(dev.sm_count, clusters);
}

// A random single cycle over n words (Sattolo's algorithm), seeded.
std::vector<uint32_t> random_cycle(int n, uint32_t seed) {
  std::vector<uint32_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0u);
  std::mt19937 rng(seed);
  for (int i = n - 1; i > 0; --i) {
    std::uniform_int_distribution<int> pick(0, i - 1);
    std::swap(order[size_t(i)], order[size_t(pick(rng))]);
  }
  std::vector<uint32_t> next(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) next[order[size_t(i)]] = order[size_t((i + 1) % n)];
  return next;
}

// (c) ns a hop of the local and the remote chase, medians over launches.
void chase(const DeviceInfo& dev, size_t smem, cudaStream_t stream, std::vector<MicroResult>* out) {
  const void* kernel = reinterpret_cast<const void*>(dsmem_chase_kernel);
  prepare(kernel, dev);
  const std::vector<uint32_t> next = random_cycle(kChaseWords, 12345);
  DeviceBuffer d_next(sizeof(uint32_t) * next.size()), result(sizeof(long long) * 8);
  EINSIM_CUDA_CHECK(cudaMemcpy(d_next.get(), next.data(), d_next.bytes(), cudaMemcpyHostToDevice));
  std::vector<double> local_ns, local_cyc, remote_ns, remote_cyc;
  long long sm0 = -1, sm1 = -1;
  for (int launch = 0; launch < kChaseLaunches; ++launch) {
    EINSIM_CUDA_CHECK(cudaMemsetAsync(result.get(), 0xff, result.bytes(), stream));
    cudaLaunchAttribute attribute{};
    const cudaLaunchConfig_t config = cluster_config(2, 32, smem, 2, stream, &attribute);
    EINSIM_CUDA_CHECK(cudaLaunchKernelEx(&config, dsmem_chase_kernel, d_next.get<const uint32_t>(),
                                         kChaseHops, result.get<long long>()));
    EINSIM_CUDA_CHECK(cudaStreamSynchronize(stream));
    long long r[8];
    EINSIM_CUDA_CHECK(cudaMemcpy(r, result.get(), sizeof r, cudaMemcpyDeviceToHost));
    local_cyc.push_back(double(r[0]) / kChaseHops);
    local_ns.push_back(double(r[1]) / kChaseHops);
    remote_cyc.push_back(double(r[2]) / kChaseHops);
    remote_ns.push_back(double(r[3]) / kChaseHops);
    sm0 = r[6], sm1 = r[7];
  }
  const TimingStats ln = summarize(local_ns), lc = summarize(local_cyc);
  const TimingStats rn = summarize(remote_ns), rc = summarize(remote_cyc);
  const std::string where = "cluster of 2, 1 CTA an SM (" + kib(smem) + "): CTA 0 on SM " +
                            std::to_string(sm0) + ", CTA 1 on SM " + std::to_string(sm1) +
                            (sm0 == sm1 ? " (the same SM!)" : " (different SMs)") + " in the last launch";
  const std::string how = std::to_string(kChaseHops) + " dependent hops through a random cycle of " +
                          std::to_string(kChaseWords) + " words, timed by globaltimer; median of " +
                          std::to_string(kChaseLaunches) + " launches";
  out->push_back({"dsmem_latency_ns", rn.median, "ns",
                  "CTA 0 chases CTA 1's shared memory (mapa + ld.shared::cluster), " + how + "; " +
                      format_number("%.1f", rc.median) + " clocks a hop (clock64), so " +
                      format_number("%.0f", 1e3 * rc.median / rn.median) + " MHz; " + where});
  out->push_back({"smem_latency_ns", ln.median, "ns",
                  "CTA 0 chases its own shared memory (ld.shared), " + how + "; " +
                      format_number("%.1f", lc.median) + " clocks a hop; dsmem / smem " +
                      format_number("%.2f", rn.median / ln.median) + "x"});
}

// (d) Aggregate store rate into the next rank's shared memory, clusters of 4 on every SM they fit.
void push(const DeviceInfo& dev, size_t smem, int iters, cudaStream_t stream,
          std::vector<MicroResult>* out) {
  const void* kernel = reinterpret_cast<const void*>(dsmem_push_kernel);
  prepare(kernel, dev);
  constexpr int c = 4;
  const int active = max_active_clusters(kernel, kPushThreads, smem, c, dev);
  if (active < 1) {
    out->push_back({"dsmem_push_gbps", NAN, "GB/s", "no cluster of 4 CTAs of " + kib(smem) + " fits"});
    return;
  }
  const int64_t grid = int64_t(active) * c;
  const TimingStats ts = time_with_events(
      [&](int) {
        cudaLaunchAttribute attribute{};
        const cudaLaunchConfig_t config = cluster_config(grid, kPushThreads, smem, c, stream, &attribute);
        EINSIM_CUDA_CHECK(cudaLaunchKernelEx(&config, dsmem_push_kernel, kPushBytes, kPushPasses));
      },
      1, std::min(iters, 10), stream);
  const double bytes = double(grid) * kPushBytes * kPushPasses;
  const double gbps = bytes / (ts.median * 1e3);
  out->push_back({"dsmem_push_gbps", gbps, "GB/s",
                  std::to_string(active) + " clusters of 4 (" + std::to_string(grid) + " of " +
                      std::to_string(dev.sm_count) + " SMs, 1 CTA of " + std::to_string(kPushThreads) +
                      " threads an SM): each CTA stores " + kib(kPushBytes) + " of float4 a pass into the " +
                      "next rank's shared memory (st.shared::cluster.v4), " + std::to_string(kPushPasses) +
                      " passes; " + format_number("%.1f", gbps / double(grid)) + " GB/s an SM; median " +
                      format_number("%.1f", ts.median) + " us of " + std::to_string(ts.runs)});
}

}  // namespace

std::vector<MicroResult> run_cluster_benchmarks(const DeviceInfo& dev, int iters) {
  std::vector<MicroResult> out;
  int major = 0, minor = 0, cluster_launch = 0;
  EINSIM_CUDA_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev.device));
  EINSIM_CUDA_CHECK(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, dev.device));
  EINSIM_CUDA_CHECK(cudaDeviceGetAttribute(&cluster_launch, cudaDevAttrClusterLaunch, dev.device));
  if (major < 9 || !cluster_launch) {
    out.push_back({"clusters_skipped", NAN, "",
                   "compute capability " + std::to_string(major) + "." + std::to_string(minor) +
                       (major < 9 ? " < 9.0" : " without cluster launch") +
                       ": no thread-block clusters, no cluster rows"});
    return out;
  }
  const DeviceStream owned_stream;
  const cudaStream_t stream = owned_stream.get();
  // A part that fails (a launch the driver refuses) gives a row that says so; the others still run.
  auto part = [&](const char* name, auto&& run) {
    try {
      run();
    } catch (const CudaError& e) {
      if (is_sticky(e.code)) throw;
      cudaGetLastError();
      out.push_back({std::string(name) + "_error", NAN, "", e.what()});
    }
  };

  // One CTA an SM wherever the CTAs should not share SMs: (a), (c), (d).
  const void* place = reinterpret_cast<const void*>(cluster_place_kernel);
  prepare(place, dev);
  const size_t smem1 = smem_for_ctas_per_sm(place, kThreads, 1, dev);
  if (smem1 == 0) {
    out.push_back({"clusters_skipped", NAN, "", "no shared memory size gives one CTA an SM"});
    return out;
  }
  GpcMap gpcs;
  bool have_gpcs = false;
  part("gpc", [&] {
    std::string how;
    gpcs = find_gpcs(dev, smem1, stream, &how);
    have_gpcs = true;
    out.push_back({"gpc_count", double(gpcs.gpc_sms.size()), "GPCs",
                   "SMs that shared a cluster are one GPC; SMs a GPC: " + format_gpc_sms(gpcs.gpc_sms) +
                       "; " + std::to_string(gpcs.covered_sms) + " of " + std::to_string(dev.sm_count) +
                       " SMs covered, " + std::to_string(gpcs.lone_sms) +
                       " never beside another SM in a cluster (each counted as a GPC); " + how});
    out.push_back({"gpc_sms", double(gpcs.covered_sms), "SMs", format_gpc_sms(gpcs.gpc_sms)});
  });

  part("max_active_clusters", [&] {
    for (int k : {1, 2}) {
      const size_t smem = smem_for_ctas_per_sm(place, kThreads, k, dev);
      for (int c : kClusterSizes) {
        const std::string name = "max_active_clusters_c" + std::to_string(c) + "_cps" + std::to_string(k);
        if (smem == 0) {
          out.push_back({name, NAN, "clusters", "no shared memory size gives exactly " + std::to_string(k) +
                                                    " CTAs an SM"});
          continue;
        }
        const int n = max_active_clusters(place, kThreads, smem, c, dev);
        std::string rule = "no GPC map";
        if (have_gpcs) {
          const int64_t p = gpc_rule_clusters(gpcs.gpc_sms, k, c);
          rule = "GPC rule sum floor(gpc_sms x " + std::to_string(k) + " / " + std::to_string(c) +
                 ") = " + std::to_string(p) + (p == n ? " (agrees)" : " (differs)");
        }
        out.push_back({name, double(n), "clusters",
                       "cudaOccupancyMaxActiveClusters, " + std::to_string(kThreads) + " threads and " +
                           kib(smem) + " dynamic shared memory a CTA (" + std::to_string(k) +
                           " an SM); " + rule});
      }
    }
  });

  part("dsmem_latency", [&] { chase(dev, smem1, stream, &out); });
  part("dsmem_push", [&] { push(dev, smem1, iters, stream, &out); });
  return out;
}

}  // namespace einsim::gpu
