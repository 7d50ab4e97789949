// Seeded random inputs on the device: element i of stream `stream` is a hash of
// (seed, stream, i) mapped to uniform [-1, 1), rounded to the dtype. Same arguments, same bits.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "job.h"

namespace einsim::gpu {

void fill_uniform(DType dtype, void* dst, int64_t n, uint64_t seed, uint64_t stream,
                  cudaStream_t cuda_stream);

}  // namespace einsim::gpu
