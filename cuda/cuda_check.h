// CUDA error handling for the runner: every runtime call is checked and a failure becomes a
// CudaError carrying the call site, so one failing job is reported instead of crashing the run.
#pragma once

#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace einsim::gpu {

struct CudaError : std::runtime_error {
  CudaError(cudaError_t code, const char* what_call, const char* file, int line)
      : std::runtime_error(std::string(file) + ":" + std::to_string(line) + ": " + what_call +
                           " failed: " + cudaGetErrorName(code) + " (" + cudaGetErrorString(code) +
                           ")"),
        code(code) {}
  cudaError_t code;
};

// Errors after which the context is unusable: the run must stop.
inline bool is_sticky(cudaError_t e) {
  return e == cudaErrorIllegalAddress || e == cudaErrorLaunchFailure ||
         e == cudaErrorMisalignedAddress || e == cudaErrorIllegalInstruction ||
         e == cudaErrorHardwareStackError || e == cudaErrorInvalidPc ||
         e == cudaErrorAssert || e == cudaErrorLaunchTimeout || e == cudaErrorUnknown;
}

}  // namespace einsim::gpu

#define EINSIM_CUDA_CHECK(call)                                                   \
  do {                                                                            \
    cudaError_t einsim_err_ = (call);                                             \
    if (einsim_err_ != cudaSuccess)                                               \
      throw ::einsim::gpu::CudaError(einsim_err_, #call, __FILE__, __LINE__);     \
  } while (0)
