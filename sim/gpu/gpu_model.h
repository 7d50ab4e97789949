// The GPU-SM model: times the kernels a mapping launches for an attention problem — launches, waves
// of CTAs over the SMs, each CTA's main loop bound by bytes, latency or compute, split-K's combine
// kernel, stream-K's partials and flags — and reports time, achieved bandwidth and the binding
// resource. Only the preset's physical figures enter; nothing is fitted per shape.
#pragma once
#include <string>

#include "arch/gpu.h"
#include "mappings/attention_problem.h"
#include "mappings/gpu_mapping.h"
#include "sim/gpu/gpu_result.h"

namespace sim::gpu {

// Throws einsum::InputError when the mapping is illegal for the problem on this GPU.
GpuResult simulate_gpu(const mappings::AttentionProblem& p, const mappings::GpuMapping& m, const arch::GpuArch& g,
                       const std::string& arch_name = "", const std::string& cascade_name = "");

} // namespace sim::gpu
