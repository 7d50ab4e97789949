// The GPU-SM model tests' problems and presets: a decode step (one query row a head, E = F, fp16)
// and a built-in GPU preset.
#pragma once
#include "arch/load.h"
#include "mappings/attention_problem.h"
#include "workloads/library.h"

inline mappings::AttentionProblem decode_problem(long long B, long long H, long long Hkv, long long E, long long M) {
    mappings::AttentionProblem p;
    p.B = B, p.H = H, p.Hkv = Hkv, p.E = E, p.F = E, p.M = M, p.P = 1;
    p.element_bytes = 2;
    return p;
}

inline arch::GpuArch gpu_preset(const char* name) { return *arch::load_preset(name, workloads::data_dir()).gpu(); }
