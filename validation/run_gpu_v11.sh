#!/usr/bin/env bash
# A second pass of h200-2026-12-01c in a new device call: the stream-K suite with the v4 mappings
# (release hand-off) and PyTorch SDPA on the same shapes, then the v6 mappings of the E = 64,
# M >= 64K jobs (which ran 3% slower than the machine's drift in -12-01c), then the v4 mappings of
# the same jobs again. On the lent H200 (device tool), from the repository root; results in $OUT.
set -uo pipefail
here=$(dirname "$0")
MODE=suite SUITE=validation/jobs_stream_k_v4.csv SUITE_NAME=suite_stream_k_v15b_v4 ARGS="--kv-stages 4" SDPA=1 \
  SUITE_TIMEOUT=200 bash "$here/run_gpu_v3.sh"
pick() { { grep -v '^#' "$1" | head -1; grep '_e64_m\(64\|128\|256\|512\)k_st,' "$1"; } >"$2"; }
pick validation/jobs_stream_k_v6.csv /tmp/v6_e64_long.csv
pick validation/jobs_stream_k_v4.csv /tmp/v4_e64_long.csv
MODE=suite SUITE=/tmp/v6_e64_long.csv SUITE_NAME=e64_long_v6 ARGS="--kv-stages 4" SUITE_TIMEOUT=90 bash "$here/run_gpu_v3.sh"
MODE=suite SUITE=/tmp/v4_e64_long.csv SUITE_NAME=e64_long_v4 ARGS="--kv-stages 4" SUITE_TIMEOUT=90 bash "$here/run_gpu_v3.sh"
rm -f "${OUT:-gpu-out}"/*.log
