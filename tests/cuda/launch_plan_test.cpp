#include <doctest/doctest.h>

#include <string>

#include "cuda/launch_plan.h"

using namespace einsim::gpu;

namespace {
Job decode_job() {
  Job j;
  j.job_id = "d";
  j.kernel = Kernel::decode;
  j.B = 2;
  j.H = 32;
  j.Hkv = 4;  // G = 8
  j.E = j.F = 128;
  j.M = 1000;
  j.P = 1;
  j.tile_n = 64;
  j.warps = 4;
  return j;
}
}  // namespace

TEST_CASE("decode packs the G*P query rows of a KV head into one CTA") {
  const PlanResult r = plan_launch(decode_job(), 4);
  REQUIRE(r.ok);
  const LaunchPlan& p = r.plan;
  CHECK(p.rows_per_unit == 8);
  CHECK(p.layout.rows_cta == 16);
  CHECK(p.blocks_per_unit == 1);
  CHECK(p.units == 8);
  CHECK(p.n_tiles == 16);  // ceil(1000 / 64)
  CHECK(p.layout.warps_m == 1);
  CHECK(p.layout.warps_n == 4);
  CHECK(p.layout.keys_per_warp == 16);
  CHECK(p.layout.kc == 16);
  CHECK(p.layout.m_tiles == 1);
  // Q 16 x 136 halfs (padded rows); a K/V stage 64 x (128 + 128) halfs (swizzled, unpadded
  // rows); three stages fit the two-CTA budget (4352 + 3 * 32768 <= 113 KiB), four do not; the
  // state is smaller than the stages.
  CHECK(p.layout.stages == 3);
  CHECK(p.layout.q_bytes() == 16 * 136 * 2);
  CHECK(p.layout.kv_bytes() == 3 * 64 * 256 * 2);
  CHECK(p.layout.state_floats() == 4 * 16 * (128 + 8) + 2 * 4 * 16 + 2 * 16 + 16 * 16 + 16 + 16 * 16);
  CHECK(p.layout.smem_bytes() == 16 * 136 * 2 + 3 * 64 * 256 * 2);
}

TEST_CASE("the K/V pipeline is two stages deep unless a deeper one is asked for") {
  CHECK(plan_launch(decode_job()).plan.layout.stages == 2);
  CHECK(plan_launch(decode_job(), 3).plan.layout.stages == 3);
  Job j = decode_job();
  j.tile_n = 32;  // 4352 + 4 * 16384 bytes fit the two-CTA budget
  j.warps = 2;
  CHECK(plan_launch(j, 4).plan.layout.stages == 4);
  CHECK(plan_launch(j, 5).reason.find("out of range 2..4") != std::string::npos);
}

TEST_CASE("a stream-K job's K/V pipeline shares the SM among the CTAs an SM it asks for") {
  Job j = decode_job();
  j.decomposition = Decomposition::stream_k;
  j.ctas_per_sm = 2;
  CHECK(plan_launch(j, 4).plan.layout.stages == 3);  // 4352 + 4 * 32768 > 113 KiB
  j.ctas_per_sm = 1;
  CHECK(plan_launch(j, 4).plan.layout.stages == 4);  // <= 226 KiB
  j.ctas_per_sm = 3;
  CHECK(plan_launch(j, 4).plan.layout.stages == 2);  // 4352 + 3 * 32768 > 75 KiB
  j.E = j.F = 64;  // a stage 64 x 128 halfs: 16 KiB
  CHECK(plan_launch(j, 4).plan.layout.stages == 4);  // 2304 + 4 * 16384 <= 75 KiB
  j.ctas_per_sm = 4;
  CHECK(plan_launch(j, 4).plan.layout.stages == 3);  // 2304 + 3 * 16384 <= 56 KiB < 2304 + 4 * 16384
  // Data-parallel jobs keep the two-CTA budget whatever their ctas_per_sm.
  j.decomposition = Decomposition::data_parallel;
  CHECK(plan_launch(j, 4).plan.layout.stages == 4);
}

TEST_CASE("decode with P > 1 and G * P > 16 uses several warp rows") {
  Job j = decode_job();
  j.P = 4;  // 32 rows
  j.warps = 8;
  PlanResult r = plan_launch(j);
  REQUIRE(r.ok);
  CHECK(r.plan.layout.warps_m == 2);
  CHECK(r.plan.layout.warps_n == 4);
  j.warps = 3;
  r = plan_launch(j);
  CHECK(!r.ok);
  CHECK(r.reason.find("multiple of the 2 warps") != std::string::npos);
  j.P = 9;  // 72 rows
  j.warps = 8;
  r = plan_launch(j);
  CHECK(!r.ok);
  CHECK(r.reason.find("at most 64") != std::string::npos);
}

TEST_CASE("prefill takes tile_m rows a CTA, 16 a warp") {
  Job j = decode_job();
  j.kernel = Kernel::prefill;
  j.P = j.M = 1000;
  j.tile_m = 128;
  j.warps = 8;
  const PlanResult r = plan_launch(j, 4);
  REQUIRE(r.ok);
  CHECK(r.plan.layout.rows_cta == 128);
  CHECK(r.plan.layout.warps_m == 8);
  CHECK(r.plan.layout.warps_n == 1);
  CHECK(r.plan.layout.kc == 64);
  CHECK(r.plan.layout.m_tiles == 1);
  CHECK(r.plan.layout.stages == 2);  // 34816 + 3 * 32768 > 113 KiB
  CHECK(r.plan.rows_per_unit == 8000);
  CHECK(r.plan.blocks_per_unit == 63);  // ceil(8000 / 128)
  j.tile_m = 100;
  CHECK(plan_launch(j).reason.find("tile_m=100") != std::string::npos);
}

TEST_CASE("prefill with half as many warps as 16-row tiles gives each warp two tiles") {
  Job j = decode_job();
  j.kernel = Kernel::prefill;
  j.P = j.M = 512;
  j.tile_m = 128;
  j.warps = 4;
  PlanResult r = plan_launch(j);
  REQUIRE(r.ok);
  CHECK(r.plan.layout.m_tiles == 2);
  CHECK(r.plan.layout.warps_m == 4);
  CHECK(r.plan.layout.warps_n == 1);
  j.warps = 2;
  r = plan_launch(j);
  CHECK(!r.ok);
  CHECK(r.reason.find("warps == tile_m/32") != std::string::npos);
  j.warps = 4;
  j.E = j.F = 256;
  r = plan_launch(j);
  CHECK(!r.ok);
  CHECK(r.reason.find("F <= 128") != std::string::npos);
}

TEST_CASE("unsupported shapes and knobs are rejected with a reason") {
  Job j = decode_job();
  j.E = j.F = 96;
  CHECK(plan_launch(j).reason.find("unsupported head dims E=96 F=96") != std::string::npos);
  j = decode_job();
  j.F = 64;
  CHECK(!plan_launch(j).ok);
  j = decode_job();
  j.tile_n = 40;
  CHECK(plan_launch(j).reason.find("tile_n=40") != std::string::npos);
  j.tile_n = 32;  // 4 warps along keys need 64
  CHECK(plan_launch(j).reason.find("4 warp slices") != std::string::npos);
  j = decode_job();
  j.warps = 32;
  CHECK(plan_launch(j).reason.find("warps=32") != std::string::npos);
  j = decode_job();
  j.decomposition = Decomposition::split_k;
  j.splits = 5000;
  CHECK(plan_launch(j).reason.find("splits=5000") != std::string::npos);
  j = decode_job();
  j.decomposition = Decomposition::stream_k;
  j.ctas_per_sm = 64;
  CHECK(plan_launch(j).reason.find("ctas_per_sm=64") != std::string::npos);
}

TEST_CASE("the key chunk is the widest that divides a warp's keys, 16 for E = 256") {
  Job j = decode_job();
  j.warps = 1;
  j.tile_n = 96;
  CHECK(plan_launch(j).plan.layout.kc == 32);
  j.tile_n = 128;
  CHECK(plan_launch(j).plan.layout.kc == 64);
  j.E = j.F = 256;
  CHECK(plan_launch(j).plan.layout.kc == 16);
}
