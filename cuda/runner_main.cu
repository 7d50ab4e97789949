// einsim-gpu: runs attention jobs on the GPU and writes the measured CSV, or runs the
// microbenchmarks. Usage is in kUsage below.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "cluster_bench.h"
#include "cuda_check.h"
#include "device_info.h"
#include "job_runner.h"
#include "jobs_csv.h"
#include "measured_csv.h"
#include "microbench.h"
#include "read_floor_bench.h"
#include "stamps_csv.h"
#include "stream_bench.h"

using namespace einsim::gpu;

namespace {

const char* kUsage =
    "usage:\n"
    "  einsim-gpu run --jobs JOBS.csv --out MEASURED.csv [--warmup 5] [--iters 30] [--seed 1]\n"
    "                 [--copies N] [--kv-stages 2] [--check-rows 16] [--device 0]\n"
    "                 [--fold batched|parallel|serial] [--launch coop|plain] [--stamps STAMPS.csv]\n"
    "                 [--sk-grid full|snap] [--sk-cluster job|on|off]\n"
    "                 [--context fresh|shared]\n"
    "    --copies N caps the rotating input copies (default: enough to exceed 2x L2)\n"
    "    --kv-stages N deepest K/V cp.async pipeline (2..4) while the CTAs an SM fit (stream-K:\n"
    "                  the job's ctas_per_sm; otherwise two)\n"
    "    --check-rows N query rows checked against the float64 reference (>= 1; each new KV head\n"
    "                   read back costs a copy of its K and V, seconds at long contexts)\n"
    "    --fold how split partials are folded: (max, sum) pairs first, then every float4 of a\n"
    "           chunk in flight (batched); pairs and float4s together (parallel); one at a time\n"
    "    --launch stream-K launch: cooperative (residency guaranteed) or plain (same grid)\n"
    "    --context fresh (default: a new CUDA context for each job, so that no job runs on memory\n"
    "              a larger one left behind) or shared (one context for all jobs)\n"
    "    --sk-grid stream-K grid: occupancy x SMs CTAs, or snapped (<= 15% fewer) so that no\n"
    "              CTA's range straddles two units\n"
    "    --sk-cluster stream-K thread-block clusters (a unit's CTAs, folded through distributed\n"
    "              shared memory): job (default) as the job's cluster column says, and a job whose\n"
    "              cluster the launched grid does not give fails; on: every grid that gives each\n"
    "              unit 2..16 equal ranges; off: none\n"
    "    --stamps one more launch a job records each CTA's phase times (cuda/phase_stamps.h)\n"
    "  einsim-gpu bench --out MICRO.csv [--iters 30] [--device 0]\n"
    "                   [--only core|stream|floor|clusters|all]\n"
    "    --only core: copy/read bandwidth, latency, mma.sync, launch (the default); stream: the\n"
    "           per-SM cp.async streaming rate with 1 or 2 CTAs an SM (stream_bench.cu); floor:\n"
    "           one launch's time to read 1 MiB .. 1 GiB (read_floor_bench.cu); clusters: the SMs\n"
    "           of each GPC, clusters that fit at once, distributed shared memory latency and\n"
    "           store rate (cluster_bench.cu); all: all four\n"
    "  einsim-gpu devices        lists the CUDA devices; exit 77 (a skipped test) when there are none\n"
    "JOBS.csv header: job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,\n"
    "                 ctas_per_sm,warps[,grid_ctas][,cluster] (any order; cluster: stream_k's CTAs\n"
    "                 a thread-block cluster, 0 or 2..16)\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Args {
  std::string command;
  std::map<std::string, std::string> options;
};

Args parse_args(int argc, char** argv) {
  if (argc < 2) throw UsageError("missing command");
  Args a;
  a.command = argv[1];
  if (a.command != "run" && a.command != "bench" && a.command != "devices")
    throw UsageError("unknown command '" + a.command + "'");
  for (int i = 2; i < argc; ++i) {
    std::string key = argv[i];
    if (key.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + key + "'");
    std::string value;
    if (auto eq = key.find('='); eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
    } else {
      if (i + 1 >= argc) throw UsageError("option " + key + " needs a value");
      value = argv[++i];
    }
    a.options[key.substr(2)] = value;
  }
  return a;
}

std::string take(Args& a, const std::string& name, const std::string& fallback, bool required) {
  auto it = a.options.find(name);
  if (it == a.options.end()) {
    if (required) throw UsageError("missing --" + name);
    return fallback;
  }
  std::string v = it->second;
  a.options.erase(it);
  return v;
}

long long take_int(Args& a, const std::string& name, long long fallback, long long min_value) {
  const std::string v = take(a, name, std::to_string(fallback), false);
  char* end = nullptr;
  const long long x = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || x < min_value)
    throw UsageError("--" + name + " expects an integer >= " + std::to_string(min_value) +
                     ", got '" + v + "'");
  return x;
}

void no_leftovers(const Args& a) {
  if (!a.options.empty()) throw UsageError("unknown option --" + a.options.begin()->first);
}

int run_command(Args& a) {
  const std::string jobs_path = take(a, "jobs", "", true);
  const std::string out_path = take(a, "out", "", true);
  RunOptions opt;
  opt.warmup = int(take_int(a, "warmup", 5, 0));
  opt.iters = int(take_int(a, "iters", 30, 1));
  opt.seed = uint64_t(take_int(a, "seed", 1, 0));
  opt.max_copies = take_int(a, "copies", 0, 0);
  opt.max_kv_stages = int(take_int(a, "kv-stages", kDefaultKvStages, 2));
  opt.sampled_rows = int(take_int(a, "check-rows", 16, 1));
  if (opt.max_kv_stages > kMaxKvStages)
    throw UsageError("--kv-stages expects 2.." + std::to_string(kMaxKvStages));
  const std::string fold = take(a, "fold", "batched", false);
  if (fold != "batched" && fold != "parallel" && fold != "serial")
    throw UsageError("--fold expects batched|parallel|serial");
  opt.fold_mode = fold == "batched" ? kFoldBatched : fold == "parallel" ? kFoldParallel : kFoldSerial;
  const std::string launch = take(a, "launch", "coop", false);
  if (launch != "coop" && launch != "plain") throw UsageError("--launch expects coop|plain");
  opt.cooperative = launch == "coop";
  const std::string sk_grid = take(a, "sk-grid", "full", false);
  if (sk_grid != "full" && sk_grid != "snap") throw UsageError("--sk-grid expects full|snap");
  opt.snap_stream_k_grid = sk_grid == "snap";
  const std::string sk_cluster = take(a, "sk-cluster", "job", false);
  if (sk_cluster != "job" && sk_cluster != "on" && sk_cluster != "off")
    throw UsageError("--sk-cluster expects job|on|off");
  opt.stream_k_cluster = sk_cluster == "job" ? ClusterMode::job
                         : sk_cluster == "on" ? ClusterMode::on
                                              : ClusterMode::off;
  const std::string stamps_path = take(a, "stamps", "", false);
  const int device = int(take_int(a, "device", 0, 0));
  const std::string context = take(a, "context", "fresh", false);
  if (context != "fresh" && context != "shared") throw UsageError("--context expects fresh|shared");
  no_leftovers(a);

  const std::vector<Job> jobs = read_jobs_csv(jobs_path);  // all parse errors before any run
  const DeviceInfo dev = query_device(device);
  std::ofstream out(out_path, std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + out_path);
  std::ofstream stamps_out;
  if (!stamps_path.empty()) {
    stamps_out.open(stamps_path, std::ios::trunc);
    if (!stamps_out) throw std::runtime_error("cannot write " + stamps_path);
    stamps_out << stamps_csv_header() << "\n";
    opt.stamps = &stamps_out;
  }
  out << measured_csv_header() << "\n" << std::flush;
  std::printf("%s: %d SMs, L2 %d MiB; %zu jobs\n", dev.name.c_str(), dev.sm_count,
              dev.l2_bytes >> 20, jobs.size());
  std::printf("%-24s %-8s %-14s %-5s %10s %9s %10s %-6s %s\n", "job", "kernel", "decomposition",
              "dtype", "time_us", "GB/s", "rel_err", "status", "message");
  int failures = 0;
  for (size_t i = 0; i < jobs.size(); ++i) {
    bool context_lost = false;
    const MeasuredRow r = run_job(jobs[i], int64_t(i), dev, opt, &context_lost);
    out << format_measured_row(r) << "\n" << std::flush;
    std::printf("%-24s %-8s %-14s %-5s %10.2f %9.1f %10.2e %-6s %s\n", r.job.job_id.c_str(),
                to_string(r.job.kernel), to_string(r.job.decomposition), to_string(r.job.dtype),
                r.time_us, r.achieved_gbps, r.max_rel_error, r.status.c_str(), r.message.c_str());
    std::fflush(stdout);
    if (r.status != "ok") ++failures;
    if (context_lost) {
      std::fprintf(stderr, "einsim-gpu: the CUDA context is lost after job '%s'; stopping\n",
                   r.job.job_id.c_str());
      return 3;
    }
    // A new CUDA context for the next job: in one context, a job measured after a much larger
    // one had freed its buffers ran up to 12% slower (B = 16, 32/32 heads, 1K-2K context: 70.4
    // us fresh, 78.7 us after a 17 GiB job; cuda/NOTES.md), so results depended on job order.
    if (context == "fresh" && i + 1 < jobs.size()) {
      EINSIM_CUDA_CHECK(cudaDeviceReset());
      EINSIM_CUDA_CHECK(cudaSetDevice(device));
    }
  }
  std::printf("%zu jobs, %d not ok; wrote %s\n", jobs.size(), failures, out_path.c_str());
  return failures ? 1 : 0;
}

int bench_command(Args& a) {
  const std::string out_path = take(a, "out", "", true);
  const int iters = int(take_int(a, "iters", 30, 1));
  const std::string only = take(a, "only", "core", false);
  if (only != "core" && only != "stream" && only != "floor" && only != "clusters" && only != "all")
    throw UsageError("--only expects core|stream|floor|clusters|all");
  const int device = int(take_int(a, "device", 0, 0));
  no_leftovers(a);
  const DeviceInfo dev = query_device(device);
  std::vector<MicroResult> results;
  if (only == "core" || only == "all") results = run_microbenchmarks(dev, iters);
  if (only == "stream" || only == "all")
    for (auto& r : run_stream_benchmarks(dev, iters)) results.push_back(std::move(r));
  if (only == "floor" || only == "all")
    for (auto& r : run_read_floor_benchmarks(dev, iters)) results.push_back(std::move(r));
  if (only == "clusters" || only == "all")
    for (auto& r : run_cluster_benchmarks(dev, iters)) results.push_back(std::move(r));
  std::ofstream out(out_path, std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + out_path);
  out << micro_csv_header() << "\n";
  std::printf("%s\n", dev.name.c_str());
  for (const auto& r : results) {
    out << format_micro_row(r, dev) << "\n";
    std::printf("%-22s %12.4g %-8s %s\n", r.name.c_str(), r.value, r.unit.c_str(),
                r.detail.c_str());
  }
  return out ? 0 : 1;
}

// Exit code 77 is CTest's SKIP_RETURN_CODE for the GPU tests (cuda/CMakeLists.txt).
int devices_command(Args& a) {
  no_leftovers(a);
  std::string why;
  const int n = count_devices(&why);
  if (n == 0) {
    std::printf("no CUDA device: %s\n", why.c_str());
    return 77;
  }
  for (int d = 0; d < n; ++d) {
    const DeviceInfo dev = query_device(d);
    std::printf("%d: %s, %d SMs, L2 %d MiB\n", d, dev.name.c_str(), dev.sm_count, dev.l2_bytes >> 20);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Args a = parse_args(argc, argv);
    if (a.command == "devices") return devices_command(a);
    return a.command == "run" ? run_command(a) : bench_command(a);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "einsim-gpu: %s\n%s", e.what(), kUsage);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "einsim-gpu: %s\n", e.what());
    return 2;
  }
}
