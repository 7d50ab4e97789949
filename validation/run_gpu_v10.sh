#!/usr/bin/env bash
# The stream-K kernel with the release hand-off (the runner's default since h200-2026-12-01b/handoff):
# compute-sanitizer (memcheck, racecheck, synccheck) on cuda/jobs/sanitize.csv with up to 4 K/V
# stages, the smoke jobs, then the stream-K suite with the v4 mappings and with the model's own
# (v6), each followed by PyTorch SDPA on the same shapes, all in one call. On the lent H200 (device
# tool), from the repository root; results in $OUT.
set -uo pipefail
here=$(dirname "$0")
(
  source "$here/gpu_build.sh"
  source "$here/gpu_sanitize.sh"
  sanitize memcheck racecheck synccheck
)
SMOKE=1 MODE=suite SUITE=validation/jobs_stream_k_v4.csv SUITE_NAME=suite_stream_k_v15_v4 ARGS="--kv-stages 4" SDPA=1 \
  SUITE_TIMEOUT=200 bash "$here/run_gpu_v3.sh"
MODE=suite SUITE=validation/jobs_stream_k_v6.csv SUITE_NAME=suite_stream_k_v15_v6 ARGS="--kv-stages 4" SDPA=1 \
  SUITE_TIMEOUT=200 bash "$here/run_gpu_v3.sh"
rm -f "${OUT:-gpu-out}"/*.log
