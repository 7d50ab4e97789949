#include <doctest/doctest.h>

#include <string>

#include "cuda/measured_csv.h"

using namespace einsim::gpu;

TEST_CASE("measured CSV header: the job columns, then the measurements") {
  CHECK(measured_csv_header() ==
        "job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm,warps,"
        "grid_ctas,cluster,gpu,sm_count,time_us,time_us_min,time_us_max,runs,bytes,achieved_gbps,max_rel_error,"
        "status,message");
}

TEST_CASE("a measured row has one field per column and escapes commas") {
  MeasuredRow r;
  r.job.job_id = "d1";
  r.job.decomposition = Decomposition::stream_k;
  r.job.warps = 8;
  r.job.grid_ctas = 128;
  r.job.cluster = 4;
  r.gpu = "NVIDIA H100 80GB HBM3";
  r.sm_count = 132;
  r.time_us = 12.5;
  r.runs = 30;
  r.bytes = 1000;
  r.achieved_gbps = 80;
  r.max_rel_error = 1e-4;
  r.status = "ok";
  r.message = "grid 264 CTAs, clamped";
  const std::string line = format_measured_row(r);
  CHECK(line.rfind("d1,decode,stream_k,fp16,", 0) == 0);
  CHECK(line.find(",8,128,4,NVIDIA H100 80GB HBM3,132,12.500,") != std::string::npos);
  CHECK(line.find(",ok,\"grid 264 CTAs, clamped\"") != std::string::npos);
  CHECK(csv_escape("a\"b") == "\"a\"\"b\"");
  CHECK(csv_escape("plain") == "plain");
}

TEST_CASE("a measured row echoes every job column in the jobs CSV's order, then gpu") {
  MeasuredRow r;
  r.job.job_id = "j";
  r.job.decomposition = Decomposition::stream_k;
  r.job.dtype = DType::bf16;
  r.job.B = 2, r.job.H = 32, r.job.Hkv = 8, r.job.E = 64, r.job.F = 64, r.job.M = 4096;
  r.job.P = 1, r.job.tile_m = 0, r.job.tile_n = 32, r.job.splits = 0, r.job.ctas_per_sm = 2;
  r.job.warps = 4, r.job.grid_ctas = 64, r.job.cluster = 2;
  r.gpu = "H200";
  r.sm_count = 132;
  r.status = "ok";
  CHECK(format_measured_row(r).rfind(
            "j,decode,stream_k,bf16,2,32,8,64,64,4096,1,0,32,0,2,4,64,2,H200,132,", 0) == 0);
  r.job.cluster = 0;  // unclustered jobs write 0
  CHECK(format_measured_row(r).rfind(
            "j,decode,stream_k,bf16,2,32,8,64,64,4096,1,0,32,0,2,4,64,0,H200,132,", 0) == 0);
}
