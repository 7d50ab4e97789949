#!/usr/bin/env bash
# The measurements behind validation/summary.json on the lent H200 (device tool), from the
# repository root; results in $OUT (at most eight files come back from a device call, so the
# per-suite logs are dropped: log.txt keeps every step's summary). PART=a: smoke jobs, phase
# stamps, the stream-K suite (validation/jobs_stream_k_v4.csv, K/V pipeline as deep as the CTAs an
# SM allow: --kv-stages 4) with PyTorch SDPA on the same shapes, the split-K suite, the GPU ctest
# and compute-sanitizer; PART=b: the data-parallel suite.
set -uo pipefail
here=$(dirname "$0")
case "${PART:-a}" in
  a)
    SMOKE=1 STAMPS=1 MODE=suite SUITE=validation/jobs_stream_k_v4.csv SUITE_NAME=suite_stream_k_v9 ARGS="--kv-stages 4" SDPA=1 \
      bash "$here/run_gpu_v3.sh"
    MODE=suite SUITE=validation/jobs_decode_split_k.csv SUITE_NAME=suite_split_k_v9 bash "$here/run_gpu_v3.sh"
    STEPS="ctest sanitize" bash "$here/run_gpu_v4.sh"
    rm -f "${OUT:-gpu-out}"/sanitize_summary.txt ;;
  b)
    grep -v '_sk,' validation/jobs_decode_dp_sk.csv >/tmp/jobs_decode_dp.csv
    MODE=suite SUITE=/tmp/jobs_decode_dp.csv SUITE_NAME=suite_dp_v9 SUITE_TIMEOUT=560 bash "$here/run_gpu_v3.sh" ;;
esac
rm -f "${OUT:-gpu-out}"/*.log
