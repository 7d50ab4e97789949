#!/usr/bin/env bash
# Checks and experiments on the lent H200 (device tool), from the repository root; results in
# $OUT: the GPU test (ctest -L gpu), the microbenchmarks with the streaming ones (cp.async and
# bulk copies, 1-2 CTAs an SM), compute-sanitizer on tiny jobs, the first-tile burst jobs with
# phase stamps (validation/jobs_burst.csv) and LeanAttention's grid sizing against the full grid
# (validation/jobs_la_grid.csv); "depth" (not by default) runs validation/jobs_depth.csv
# under 2, 3 and 4 K/V stages. STEPS picks a subset (default: all of
# "ctest bench sanitize burst lagrid").
set -uo pipefail
source "$(dirname "$0")/gpu_build.sh"  # sets OUT, BUILD, GPU, t0; logs to $OUT/log.txt
STEPS=${STEPS:-ctest bench sanitize burst lagrid}
has() { [[ " $STEPS " == *" $1 "* ]]; }
if has ctest; then
  echo "== ctest -L gpu at $((SECONDS - t0)) s"
  timeout 120 ctest --test-dir "$BUILD" -L gpu --output-on-failure 2>&1 | tail -5
fi
if has bench; then
  echo "== bench --only all at $((SECONDS - t0)) s"
  timeout 180 "$GPU" bench --only all --out "$OUT/micro.csv" 2>&1 | tail -3
  cut -d, -f1-3 "$OUT/micro.csv"
fi
if has sanitize; then
  echo "== compute-sanitizer at $((SECONDS - t0)) s"
  for tool in memcheck racecheck synccheck; do
    timeout 240 compute-sanitizer --tool $tool --error-exitcode 9 "$GPU" run --jobs cuda/jobs/sanitize.csv \
      --out "/tmp/sanitize_$tool.csv" --warmup 0 --iters 1 --copies 1 >"/tmp/sanitize_$tool.log" 2>&1
    rc=$?
    echo "$tool exit $rc: $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "/tmp/sanitize_$tool.log" | tail -1)" |
      tee -a "$OUT/sanitize_summary.txt"
  done
fi
if has burst; then
  echo "== burst (validation/jobs_burst.csv) at $((SECONDS - t0)) s"
  timeout 120 "$GPU" run --jobs validation/jobs_burst.csv --out "$OUT/burst.csv" --stamps "$OUT/burst_stamps.csv" \
    --warmup 3 --iters 20 --check-rows 2 2>&1 | tail -n 14
fi
if has lagrid; then
  echo "== LeanAttention grid (validation/jobs_la_grid.csv) at $((SECONDS - t0)) s"
  timeout 200 "$GPU" run --jobs validation/jobs_la_grid.csv --out "$OUT/la_grid.csv" --warmup 3 --iters 20 \
    --check-rows 2 >"$OUT/la_grid.log" 2>&1; echo "exit $?"
fi
if has depth; then
  for st in 2 3 4; do
    echo "== K/V depth $st (validation/jobs_depth.csv) at $((SECONDS - t0)) s"
    timeout 120 "$GPU" run --jobs validation/jobs_depth.csv --out "$OUT/depth_$st.csv" --kv-stages $st --warmup 3 \
      --iters 20 --check-rows 2 2>&1 | awk '{print $1, $5, $6, $9, substr($0, index($0, "stages"), 10)}'
  done
fi
echo "done at $((SECONDS - t0)) s"
