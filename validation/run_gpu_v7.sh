#!/usr/bin/env bash
# The measurements of validation/h200-2026-12-01b on the lent H200 (device tool), from the
# repository root; results in $OUT (at most eight files come back from a device call).
# PART=a: phase stamps of validation/jobs_stamps.csv (four segments a CTA recorded), then the
# stream-K suite with the mappings the GPU-SM model chose whole (validation/jobs_stream_k_v6.csv)
# and PyTorch SDPA on the same shapes, then the v4 mappings (validation/jobs_stream_k_v4.csv) and
# SDPA again, all in one call, so that v6 and v4 are compared with each other and with SDPA
# without the spread between device calls. PART=b: v6 and SDPA once more (the spread of a pass).
set -uo pipefail
here=$(dirname "$0")
case "${PART:-a}" in
  a)
    STAMPS=1 MODE=suite SUITE=validation/jobs_stream_k_v6.csv SUITE_NAME=suite_stream_k_v14a ARGS="--kv-stages 4" SDPA=1 \
      SUITE_TIMEOUT=240 bash "$here/run_gpu_v3.sh"
    MODE=suite SUITE=validation/jobs_stream_k_v4.csv SUITE_NAME=suite_stream_k_v14_v4 ARGS="--kv-stages 4" SDPA=1 \
      SUITE_TIMEOUT=240 bash "$here/run_gpu_v3.sh" ;;
  b)
    MODE=suite SUITE=validation/jobs_stream_k_v6.csv SUITE_NAME=suite_stream_k_v14b ARGS="--kv-stages 4" SDPA=1 \
      SUITE_TIMEOUT=240 bash "$here/run_gpu_v3.sh" ;;
esac
rm -f "${OUT:-gpu-out}"/*.log
