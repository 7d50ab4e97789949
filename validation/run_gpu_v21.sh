#!/usr/bin/env bash
# A second pass of the v8 stream-K suite with PyTorch SDPA on its shapes (as validation/run_gpu_v18.sh,
# without its sanitizer run: the kernels are -01i's), with the read floor by size
# (`einsim-gpu bench --only floor`) and the core microbenchmarks (copy bandwidth) of the same call,
# so that `einsim gpu-compare --floor` can put each job beside a pure read of its bytes.
# On the lent H200 (device tool), from the repository root; results in $OUT.
set -uo pipefail
here=$(dirname "$0")
(
  source "$here/gpu_build.sh"  # OUT, BUILD, GPU, t0; logs to $OUT/log.txt
  timeout 120 "$GPU" bench --only floor --out "$OUT/floor.csv" --iters 30 | grep us_
  timeout 120 "$GPU" bench --only core --out "$OUT/micro.csv" --iters 30 | grep -E "copy|read|launch"
)
MODE=suite SUITE=validation/jobs_stream_k_v8.csv SUITE_NAME=suite_stream_k_v21_v8 ARGS="--kv-stages 4" SDPA=1 \
  SUITE_TIMEOUT=220 SDPA_TIMEOUT=80 bash "$here/run_gpu_v3.sh"
