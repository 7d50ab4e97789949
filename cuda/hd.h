// EINSIM_HD marks small arithmetic helpers that the CUDA kernels and the CPU unit tests share:
// __host__ __device__ under nvcc, plain inline for a host compiler.
#pragma once

#if defined(__CUDACC__)
#define EINSIM_HD __host__ __device__ inline
#else
#define EINSIM_HD inline
#endif
