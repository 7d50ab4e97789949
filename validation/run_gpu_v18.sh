#!/usr/bin/env bash
# The stream-K suite with the v8 mappings (validation/jobs_stream_k_v8.csv: v7 with the grid of one
# CTA a unit at B = 16, 32/32, E = 64, 1K/2K, which einsim-gpu runs with the kernel without hand-off
# and fold) and PyTorch SDPA on its shapes, after compute-sanitizer memcheck on
# cuda/jobs/sanitize.csv (san_st_units_dp takes that path). On the lent H200 (device tool), from
# the repository root; results in $OUT.
set -uo pipefail
here=$(dirname "$0")
(
  source "$here/gpu_build.sh"
  source "$here/gpu_sanitize.sh"
  sanitize memcheck && cp /tmp/sanitize_memcheck.csv "$OUT/sanitize.csv"
  grep san_st_units_dp /tmp/sanitize_memcheck.log
)
MODE=suite SUITE=validation/jobs_stream_k_v8.csv SUITE_NAME=suite_stream_k_v18_v8 ARGS="--kv-stages 4" SDPA=1 \
  SUITE_TIMEOUT=200 SDPA_TIMEOUT=60 bash "$here/run_gpu_v3.sh"
