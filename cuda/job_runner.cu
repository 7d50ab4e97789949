#include "job_runner.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <sstream>
#include <vector>

#include "attention_launch.h"
#include "cuda_check.h"
#include "device_buffer.h"
#include "device_stream.h"
#include "error_check.h"
#include "event_timer.h"
#include "float_bits.h"
#include "input_copies.h"
#include "random_fill.h"
#include "reference.h"
#include "stamps_csv.h"

namespace einsim::gpu {

namespace {

double to_double(DType t, uint16_t bits) {
  return t == DType::fp16 ? fp16_bits_to_double(bits) : bf16_bits_to_double(bits);
}

std::vector<double> fetch(DType t, const void* src, int64_t offset_elems, int64_t n) {
  std::vector<uint16_t> bits(n);
  EINSIM_CUDA_CHECK(cudaMemcpy(bits.data(), static_cast<const uint16_t*>(src) + offset_elems,
                               n * sizeof(uint16_t), cudaMemcpyDeviceToHost));
  std::vector<double> out(n);
  for (int64_t i = 0; i < n; ++i) out[i] = to_double(t, bits[i]);
  return out;
}

std::string gib(double bytes) {
  std::ostringstream s;
  s.precision(3);
  s << bytes / double(1ull << 30) << " GiB";
  return s.str();
}

void append(std::string& note, const std::string& more) {
  if (more.empty()) return;
  note += (note.empty() ? "" : "; ") + more;
}

struct Tensors {
  int64_t q = 0, k = 0, v = 0, o = 0;  // elements of one copy
  int64_t copy_bytes() const { return 2 * (q + k + v + o); }
};

// One launch queued behind a spin (device time, like the timed runs), after one unstamped run
// on another copy, with every CTA's phase stamps recorded; rows go to `out`.
template <class Launch>
void record_stamps(const Job& job, const AttentionSetup& setup, Launch&& launch, int64_t copies,
                   cudaStream_t stream, std::ostream& out) {
  const int64_t n = setup.grid * kStampSegments * kStampSlots;
  DeviceBuffer buf(sizeof(PhaseStamp) * n);
  EINSIM_CUDA_CHECK(cudaMemsetAsync(buf.get(), 0, buf.bytes(), stream));
  cudaEvent_t start, stop;
  EINSIM_CUDA_CHECK(cudaEventCreate(&start));
  EINSIM_CUDA_CHECK(cudaEventCreate(&stop));
  float ms = 0;
  try {
    spin_stream(stream, 500.0);
    launch(1 % copies, nullptr);
    EINSIM_CUDA_CHECK(cudaEventRecord(start, stream));
    launch(2 % copies, buf.get<PhaseStamp>());
    EINSIM_CUDA_CHECK(cudaEventRecord(stop, stream));
    EINSIM_CUDA_CHECK(cudaStreamSynchronize(stream));
    EINSIM_CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
  } catch (...) {
    cudaEventDestroy(start), cudaEventDestroy(stop);
    throw;
  }
  cudaEventDestroy(start), cudaEventDestroy(stop);
  std::vector<PhaseStamp> h(n);
  EINSIM_CUDA_CHECK(cudaMemcpy(h.data(), buf.get(), sizeof(PhaseStamp) * n, cudaMemcpyDeviceToHost));
  out << format_stamp_rows(job.job_id, h, setup.grid, double(ms));
  out << std::flush;
}

MeasuredRow run_checked(const Job& job, int64_t job_index, const DeviceInfo& dev,
                        const RunOptions& opt) {
  MeasuredRow row;
  row.job = job;
  row.gpu = dev.name;
  row.sm_count = dev.sm_count;
  row.bytes = job.min_bytes();
  row.max_rel_error = NAN;

  AttentionSetup setup;
  SetupOptions so;
  so.max_kv_stages = opt.max_kv_stages;
  so.snap_stream_k_grid = opt.snap_stream_k_grid;
  so.stream_k_cluster = opt.stream_k_cluster;
  if (std::string why = setup_attention(job, dev, so, &setup); !why.empty()) {
    row.message = why;
    return row;
  }
  std::string note = setup.note;
  if (setup.cooperative && !opt.cooperative) {
    // The grid is still sized to be resident at once (<= occupancy x SMs), which is what the
    // flag waits need; a plain launch only loses the driver's guarantee of it.
    setup.cooperative = false;
    append(note, "plain launch");
  }
  if (opt.fold_mode != kFoldBatched && setup.partials > 0)
    append(note, opt.fold_mode == kFoldSerial ? "serial fold" : "parallel fold");

  Tensors t;
  t.q = job.B * job.H * job.P * job.E;
  t.k = job.B * job.Hkv * job.M * job.E;
  t.v = job.B * job.Hkv * job.M * job.F;
  t.o = job.B * job.H * job.P * job.F;
  const int64_t copy_bytes = t.copy_bytes();

  // Enough copies that one pass over all of them is more than twice the L2 (input_copies.h).
  size_t free_bytes = 0, total_bytes = 0;
  EINSIM_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
  const double budget = opt.max_memory_fraction * double(free_bytes);
  if (double(copy_bytes) > budget) {
    row.message = "inputs need " + gib(double(copy_bytes)) + ", budget " + gib(budget) +
                  " (free " + gib(double(free_bytes)) + ")";
    return row;
  }
  int64_t copies = input_copies_past_l2(dev.l2_bytes, copy_bytes);
  copies = std::min<int64_t>(copies, int64_t(budget / double(copy_bytes)));
  if (opt.max_copies > 0) copies = std::min<int64_t>(copies, opt.max_copies);
  copies = std::max<int64_t>(copies, 1);
  if (copies * copy_bytes <= 2 * int64_t(dev.l2_bytes))
    append(note, "only " + std::to_string(copies) + " input copies fit: L2 may hold them");

  DeviceBuffer q(2 * t.q * copies), k(2 * t.k * copies), v(2 * t.v * copies),
      o(2 * t.o * copies);
  const AttentionLayout& L = setup.plan.layout;
  DeviceBuffer part_acc(sizeof(float) * setup.partials * L.rows_cta * L.F);
  DeviceBuffer part_ml(sizeof(float2) * setup.partials * L.rows_cta);
  DeviceBuffer flags(sizeof(unsigned) * setup.flags);

  const DeviceStream owned_stream;
  const cudaStream_t stream = owned_stream.get();

  const uint64_t base = uint64_t(job_index) << 20;
  for (int64_t c = 0; c < copies; ++c) {
    fill_uniform(job.dtype, q.get<uint16_t>() + c * t.q, t.q, opt.seed, base + 4 * c + 0, stream);
    fill_uniform(job.dtype, k.get<uint16_t>() + c * t.k, t.k, opt.seed, base + 4 * c + 1, stream);
    fill_uniform(job.dtype, v.get<uint16_t>() + c * t.v, t.v, opt.seed, base + 4 * c + 2, stream);
  }
  if (setup.flags) EINSIM_CUDA_CHECK(cudaMemsetAsync(flags.get(), 0, flags.bytes(), stream));
  // All-ones halves are NaN in both fp16 and bf16: an output element never written stays NaN.
  EINSIM_CUDA_CHECK(cudaMemsetAsync(o.get(), 0xff, o.bytes(), stream));

  AttentionParams params = make_params(setup);
  params.part_acc = part_acc.get<float>();
  params.part_ml = part_ml.get<float2>();
  params.flags = flags.get<unsigned>();
  params.fold_mode = opt.fold_mode;
  unsigned epoch = 0;
  auto launch_copy = [&](int64_t c, PhaseStamp* stamps = nullptr) {
    AttentionParams p = params;
    p.stamps = stamps;
    p.q = q.get<uint16_t>() + c * t.q;
    p.k = k.get<uint16_t>() + c * t.k;
    p.v = v.get<uint16_t>() + c * t.v;
    p.o = o.get<uint16_t>() + c * t.o;
    p.epoch = ++epoch;
    launch_attention(setup, p, stream);
  };

  // 1. Checked run on copy 0.
  launch_copy(0);
  EINSIM_CUDA_CHECK(cudaStreamSynchronize(stream));
  std::vector<uint16_t> first(t.o);
  EINSIM_CUDA_CHECK(cudaMemcpy(first.data(), o.get(), 2 * t.o, cudaMemcpyDeviceToHost));
  int64_t non_finite = 0;
  for (uint16_t bits : first)
    if (!std::isfinite(to_double(job.dtype, bits))) ++non_finite;

  std::vector<RowIndex> rows = sample_rows(job.B, job.H, job.P, opt.sampled_rows, opt.seed);
  const int64_t G = job.group();
  std::sort(rows.begin(), rows.end(), [&](const RowIndex& a, const RowIndex& b) {
    return std::make_pair(a.b * job.Hkv + a.h / G, a.h * job.P + a.p) <
           std::make_pair(b.b * job.Hkv + b.h / G, b.h * job.P + b.p);
  });
  double worst = 0;
  RowIndex worst_row;
  int64_t cached_unit = -1;
  std::vector<double> k_unit, v_unit;
  for (const RowIndex& r : rows) {
    const int64_t unit = r.b * job.Hkv + r.h / G;
    if (unit != cached_unit) {
      k_unit = fetch(job.dtype, k.get(), unit * job.M * job.E, job.M * job.E);
      v_unit = fetch(job.dtype, v.get(), unit * job.M * job.F, job.M * job.F);
      cached_unit = unit;
    }
    const int64_t flat = (r.b * job.H + r.h) * job.P + r.p;
    const std::vector<double> q_row = fetch(job.dtype, q.get(), flat * job.E, job.E);
    const std::vector<double> ref =
        reference_attention_row(q_row.data(), k_unit.data(), v_unit.data(), job.M, job.E, job.F);
    std::vector<double> out(job.F);
    for (int64_t f = 0; f < job.F; ++f) out[f] = to_double(job.dtype, first[flat * job.F + f]);
    const double err = relative_error(out.data(), ref.data(), job.F);
    if (!(err <= worst)) {
      worst = err;
      worst_row = r;
    }
  }
  row.max_rel_error = worst;
  row.status = "ok";
  if (non_finite > 0) {
    row.status = "wrong";
    append(note, std::to_string(non_finite) + " output elements NaN/inf (unwritten?)");
  }
  if (!(worst <= error_bound(job.dtype))) {
    row.status = "wrong";
    std::ostringstream s;
    s << "max_rel_error " << worst << " > bound " << error_bound(job.dtype) << " at (b,h,p)=("
      << worst_row.b << "," << worst_row.h << "," << worst_row.p << ")";
    append(note, s.str());
  }

  // 2. Timing: copy 0 was just used, so start rotating at copy 1.
  const TimingStats ts = time_with_events(
      [&](int i) { launch_copy((i + 1) % copies); }, opt.warmup, opt.iters, stream);
  row.time_us = ts.median;
  row.time_us_min = ts.min;
  row.time_us_max = ts.max;
  row.runs = ts.runs;
  row.achieved_gbps = ts.median > 0 ? double(row.bytes) / (ts.median * 1e3) : 0;
  append(note, std::to_string(copies) + " input copies (" + gib(double(copies * copy_bytes)) + ")");

  if (opt.stamps) record_stamps(job, setup, [&](int64_t c, PhaseStamp* st) {
    launch_copy(c, st);
  }, copies, stream, *opt.stamps);

  // 3. The same inputs must give the same bits (a moving result is a race).
  EINSIM_CUDA_CHECK(cudaMemsetAsync(o.get(), 0xff, 2 * t.o, stream));
  launch_copy(0);
  EINSIM_CUDA_CHECK(cudaStreamSynchronize(stream));
  std::vector<uint16_t> second(t.o);
  EINSIM_CUDA_CHECK(cudaMemcpy(second.data(), o.get(), 2 * t.o, cudaMemcpyDeviceToHost));
  if (std::memcmp(first.data(), second.data(), 2 * t.o) != 0) {
    row.status = "wrong";
    append(note, "a second run on the same inputs gave different bits (race?)");
  }
  row.message = note;
  return row;
}

}  // namespace

MeasuredRow run_job(const Job& job, int64_t job_index, const DeviceInfo& dev,
                    const RunOptions& options, bool* context_lost) {
  *context_lost = false;
  try {
    return run_checked(job, job_index, dev, options);
  } catch (const std::exception& e) {
    MeasuredRow row;
    row.job = job;
    row.gpu = dev.name;
    row.sm_count = dev.sm_count;
    row.bytes = job.min_bytes();
    row.max_rel_error = NAN;
    row.status = "error";
    row.message = e.what();
    const cudaError_t pending = cudaGetLastError();  // clears non-sticky errors
    const auto* ce = dynamic_cast<const CudaError*>(&e);
    *context_lost = (ce && is_sticky(ce->code)) || is_sticky(pending);
    return row;
  }
}

}  // namespace einsim::gpu
