// An owning non-blocking CUDA stream (cudaStreamCreateWithFlags / cudaStreamDestroy), never copied:
// destroyed on every way out of the scope that made it, exceptions included.
#pragma once

#include <cuda_runtime.h>

#include "cuda_check.h"

namespace einsim::gpu {

class DeviceStream {
 public:
  DeviceStream() { EINSIM_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking)); }
  DeviceStream(const DeviceStream&) = delete;
  DeviceStream& operator=(const DeviceStream&) = delete;
  ~DeviceStream() { cudaStreamDestroy(stream_); }
  cudaStream_t get() const { return stream_; }

 private:
  cudaStream_t stream_ = nullptr;
};

}  // namespace einsim::gpu
