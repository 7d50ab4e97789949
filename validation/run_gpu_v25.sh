#!/usr/bin/env bash
# The v9 stream-K suite (validation/jobs_stream_k_v9.csv: v8 with the model's clustered picks) with
# PyTorch SDPA on its shapes, in one call. On the lent H200 (device tool), from the repository root;
# results in $OUT.
set -uo pipefail
MODE=suite SUITE=validation/jobs_stream_k_v9.csv SUITE_NAME=suite_stream_k_v25_v9 ARGS="--kv-stages 4" SDPA=1 \
  SUITE_TIMEOUT=240 SDPA_TIMEOUT=90 bash "$(dirname "$0")/run_gpu_v3.sh"
