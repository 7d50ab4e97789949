#!/usr/bin/env bash
# Phase stamps of the decode kernels on the lent H200 (device tool), from the repository root;
# results in $OUT. Builds einsim-gpu from cuda/ alone, runs JOBS (default
# validation/jobs_stamps.csv) with --stamps under each runner variant of VARIANTS
# (name:options, options joined by ':'), then, when COMPARE is set (a jobs CSV), that file
# under each variant and PyTorch SDPA flash + cuDNN on the same shapes, in the same call.
# MODE=suite instead runs SUITE (a jobs CSV) with ARGS into $OUT/suite_NAME.csv (NAME from
# SUITE_NAME), then SDPA on the same shapes when SDPA=1, then, when NCU_JOB is set (a jobs
# CSV of one job), Nsight Compute's per-instruction stall samples of its kernel; SMOKE=1 runs
# cuda/jobs/smoke.csv first and STAMPS=1 validation/jobs_stamps.csv with --stamps.
set -uo pipefail
source "$(dirname "$0")/gpu_build.sh"  # sets OUT, BUILD, GPU, t0; logs to $OUT/log.txt
if [ "${MODE:-stamps}" = suite ]; then
  if [ "${SMOKE:-0}" = 1 ]; then
    echo "== smoke (cuda/jobs/smoke.csv) at $((SECONDS - t0)) s"
    timeout 120 "$GPU" run --jobs cuda/jobs/smoke.csv --out "$OUT/smoke.csv" --warmup 1 --iters 3 | tail -2
  fi
  if [ "${STAMPS:-0}" = 1 ]; then
    echo "== stamps (validation/jobs_stamps.csv) at $((SECONDS - t0)) s"
    timeout 120 "$GPU" run --jobs validation/jobs_stamps.csv --out "$OUT/stamps_runs.csv" --stamps "$OUT/stamps.csv" \
      --warmup 3 --iters 20 --check-rows 2 | tail -n 11
  fi
  name=${SUITE_NAME:-suite}
  echo "== $name: $(($(grep -vc '^#' "$SUITE") - 1)) jobs (${ARGS:-}) at $((SECONDS - t0)) s"
  timeout "${SUITE_TIMEOUT:-300}" "$GPU" run --jobs "$SUITE" --out "$OUT/$name.csv" --warmup 3 --iters 20 \
    --check-rows "${CHECK_ROWS:-2}" ${ARGS:-} >"$OUT/$name.log" 2>&1; echo "exit $?"
  if [ "${SDPA:-0}" = 1 ]; then
    echo "== torch sdpa at $((SECONDS - t0)) s"
    PYTHONUNBUFFERED=1 timeout "${SDPA_TIMEOUT:-150}" python3 -W ignore cuda/sdpa_peer.py --jobs "$SUITE" --out "$OUT/${name}_sdpa.csv" \
      --backends flash,cudnn --warmup 3 --iters 20 >"$OUT/${name}_sdpa.log" 2>&1; echo "exit $?"
  fi
  if [ -n "${NCU_JOB:-}" ]; then
    echo "== ncu source counters ($NCU_JOB) at $((SECONDS - t0)) s"
    timeout 120 ncu --section SourceCounters --launch-skip 4 --launch-count 1 -k "regex:${NCU_KERNEL:-stream_k}" \
      -f -o "$OUT/ncu_source" "$GPU" run --jobs "$NCU_JOB" --out "$OUT/ncu_run.csv" --warmup 3 --iters 3 --check-rows 1 >/dev/null 2>&1
    echo "exit $?"
    ncu --import "$OUT/ncu_source.ncu-rep" --page source --csv --print-source sass >"$OUT/ncu_source_sass.csv" 2>&1; echo "exit $?"
    gzip -f "$OUT/ncu_source_sass.csv"; rm -f "$OUT/ncu_run.csv"
  fi
  for f in "$OUT"/*.csv; do
    echo "$(basename "$f"): $(($(wc -l <"$f") - 1)) rows, status: $(tail -n +2 "$f" | grep -o ',\(ok\|wrong\|error\),' | sort | uniq -c | tr '\n' ' ')"
  done
  echo "done at $((SECONDS - t0)) s"
  exit 0
fi
JOBS=${JOBS:-validation/jobs_stamps.csv}
VARIANTS=${VARIANTS:-full:--sk-grid=full}
for v in $VARIANTS; do
  name=${v%%:*}; args=$(echo "${v#*:}" | tr ':' ' ')
  echo "== stamps $name ($args) at $((SECONDS - t0)) s"
  timeout "${RUN_TIMEOUT:-120}" "$GPU" run --jobs "$JOBS" --out "$OUT/stamps_runs_$name.csv" --stamps "$OUT/stamps_$name.csv" \
    --warmup 3 --iters 20 --check-rows 2 $args 2>&1 | tail -n 12
done
if [ -n "${COMPARE:-}" ]; then
  for v in $VARIANTS; do
    name=${v%%:*}; args=$(echo "${v#*:}" | tr ':' ' ')
    echo "== compare $name ($args) at $((SECONDS - t0)) s"
    timeout "${COMPARE_TIMEOUT:-150}" "$GPU" run --jobs "$COMPARE" --out "$OUT/compare_$name.csv" \
      --warmup 3 --iters 20 --check-rows 2 $args >"$OUT/compare_$name.log" 2>&1; echo "exit $?"
  done
  echo "== torch sdpa at $((SECONDS - t0)) s"
  PYTHONUNBUFFERED=1 timeout "${SDPA_TIMEOUT:-150}" python3 -W ignore cuda/sdpa_peer.py --jobs "$COMPARE" --out "$OUT/compare_sdpa.csv" \
    --backends flash,cudnn --warmup 3 --iters 20 >"$OUT/compare_sdpa.log" 2>&1; echo "exit $?"
fi
if [ -n "${SASS:-}" ] && command -v cuobjdump >/dev/null; then
  obj=$(find "$BUILD" -name 'decode_stream_k.cu.o' | head -1)
  cuobjdump -sass "$obj" >"$OUT/stream_k.sass" 2>&1 || true
  gzip -f "$OUT/stream_k.sass"
fi
echo "done at $((SECONDS - t0)) s"
