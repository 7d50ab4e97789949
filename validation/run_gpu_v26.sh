#!/usr/bin/env bash
# A second pass of the v9 stream-K suite with PyTorch SDPA on its shapes (as run_gpu_v25.sh), with
# the read floor by size and the core microbenchmarks of the same call (as run_gpu_v21.sh did for
# v8), so that `einsim gpu-compare --floor` can put each job beside a pure read of its bytes.
# On the lent H200 (device tool), from the repository root; results in $OUT.
set -uo pipefail
here=$(dirname "$0")
(
  source "$here/gpu_build.sh"  # OUT, BUILD, GPU, t0; logs to $OUT/log.txt
  timeout 120 "$GPU" bench --only floor --out "$OUT/floor.csv" --iters 30 | grep us_
  timeout 120 "$GPU" bench --only core --out "$OUT/micro.csv" --iters 30 | grep -E "copy|read|launch"
)
MODE=suite SUITE=validation/jobs_stream_k_v9.csv SUITE_NAME=suite_stream_k_v26_v9 ARGS="--kv-stages 4" SDPA=1 \
  SUITE_TIMEOUT=240 SDPA_TIMEOUT=90 bash "$here/run_gpu_v3.sh"
