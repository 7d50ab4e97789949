#!/usr/bin/env bash
# Nsight Compute on the steady-state streaming of the decode kernels (validation/ncu_steady.csv,
# one launch a job after the checked run and 3 warm-ups): speed of light, memory workload, warp
# states and per-instruction stall samples. On the lent H200 from the repository root; $OUT.
set -uo pipefail
source "$(dirname "$0")/gpu_build.sh"  # sets OUT, BUILD, GPU, t0; logs to $OUT/log.txt
JOBS=${JOBS:-validation/ncu_steady.csv}
header=$(grep -v '^#' "$JOBS" | head -1)
grep -v '^#' "$JOBS" | tail -n +2 | while IFS= read -r line; do
  id=${line%%,*}
  printf '%s\n%s\n' "$header" "$line" >"/tmp/ncu_$id.csv"
  echo "== $id at $((SECONDS - t0)) s"
  timeout 200 ncu --section SpeedOfLight --section MemoryWorkloadAnalysis --section WarpStateStats \
    --section SourceCounters --section LaunchStats --section Occupancy --launch-skip 4 --launch-count 1 \
    -k 'regex:full_range|stream_k|split_k' -f -o "$OUT/ncu_$id" \
    "$GPU" run --jobs "/tmp/ncu_$id.csv" --out "/tmp/ncu_run_$id.csv" --warmup 3 --iters 2 --check-rows 1 >/dev/null 2>&1
  echo "exit $?"
  ncu --import "$OUT/ncu_$id.ncu-rep" --page details --csv >"$OUT/ncu_${id}_details.csv" 2>&1
  ncu --import "$OUT/ncu_$id.ncu-rep" --page source --csv --print-source sass 2>&1 | gzip >"$OUT/ncu_${id}_sass.csv.gz"
  rm -f "$OUT/ncu_$id.ncu-rep"
done
echo "done at $((SECONDS - t0)) s"
