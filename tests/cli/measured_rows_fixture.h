// Measured rows as einsim-gpu and cuda/sdpa_peer.py write them, shared by the tests of the join
// with the model (gpu_validation_test.cpp) and of bad measured input (gpu_input_test.cpp).
#pragma once
#include <string>

namespace measured_fixture {

inline const std::string header = "job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm,warps,gpu,sm_count,time_us,"
                                  "time_us_min,time_us_max,runs,bytes,achieved_gbps,max_rel_error,status,message\n";

// Four rows: our split-K and stream-K, PyTorch flash and cuDNN (times from the H200 run of 2026-11-30).
inline const std::string measured_text =
    header +
    "b1_h32-32_e128_m4k_sk,decode,split_k,fp16,1,32,32,128,128,4096,1,0,64,0,1,4,NVIDIA H200,132,36.72,36,37,20,67117056,1828,4.8e-04,ok,"
    "\"splits=0 -> 7 (FA2 heuristic); CTA 16 rows, warps 1x4, m_tiles 1, kc 16, stages 2, smem 73 KiB\"\n"
    "b1_h32-32_e128_m4k_st,decode,stream_k,fp16,1,32,32,128,128,4096,1,0,64,0,2,4,NVIDIA H200,132,38.74,38,39,20,67117056,1733,5.1e-04,ok,"
    "\"grid 264 CTAs over 2048 tiles; CTA 16 rows, warps 1x4, m_tiles 1, kc 16, stages 2, smem 73 KiB\"\n"
    "b1_h32-32_e128_m4k_dp,decode,torch_flash,fp16,1,32,32,128,128,4096,1,0,0,0,0,0,NVIDIA H200,132,31.3,31,32,20,67117056,2144,4.5e-04,ok,"
    "8 input copies\n"
    "b1_h32-32_e128_m4k_dp,decode,torch_cudnn,fp16,1,32,32,128,128,4096,1,0,0,0,0,0,NVIDIA H200,132,24.9,24,25,20,67117056,2695,4.5e-04,ok,"
    "8 input copies\n";

} // namespace measured_fixture
