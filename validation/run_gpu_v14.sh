#!/usr/bin/env bash
# The kernels with one fold (the batched one; the run-time choice among three, which cost the
# stream-K kernels up to 96 registers a thread, removed) and the release hand-off only, and a
# stream-K K/V pipeline sized for the job's CTAs an SM: compute-sanitizer (memcheck, racecheck,
# synccheck) on cuda/jobs/sanitize.csv with up to 4 K/V stages, the smoke jobs, the E = 64
# stream-K candidates of 2-4 CTAs an SM (validation/jobs_tune_e64.csv) twice with PyTorch SDPA
# on those shapes between, then the stream-K suite with the v7 mappings and SDPA on its shapes.
# On the lent H200 (device tool), from the repository root; results in $OUT.
set -uo pipefail
here=$(dirname "$0")
(
  source "$here/gpu_build.sh"
  source "$here/gpu_sanitize.sh"
  sanitize memcheck racecheck synccheck
  cp /tmp/sanitize_memcheck.csv "$OUT/sanitize.csv"
  echo "== smoke (cuda/jobs/smoke.csv) at $((SECONDS - t0)) s"
  timeout 120 "$GPU" run --jobs cuda/jobs/smoke.csv --out "$OUT/smoke.csv" --warmup 1 --iters 3 | tail -2
  echo "== tune (validation/jobs_tune_e64.csv) at $((SECONDS - t0)) s"
  timeout 80 "$GPU" run --jobs validation/jobs_tune_e64.csv --out /tmp/tune_a.csv --warmup 3 --iters 20 --check-rows 1 \
    --kv-stages 4 >/tmp/tune.log 2>&1; echo "exit $?: $(tail -1 /tmp/tune.log)"
  PYTHONUNBUFFERED=1 timeout 40 python3 -W ignore cuda/sdpa_peer.py --jobs validation/jobs_tune_e64_shapes.csv \
    --out /tmp/tune_sdpa.csv --backends flash,cudnn --warmup 3 --iters 20 >/tmp/tune_sdpa.log 2>&1; echo "sdpa exit $?"
  timeout 80 "$GPU" run --jobs validation/jobs_tune_e64.csv --out /tmp/tune_b.csv --warmup 3 --iters 20 --check-rows 1 \
    --kv-stages 4 >/tmp/tune.log 2>&1; echo "exit $?: $(tail -1 /tmp/tune.log)"
  ( cd /tmp && tar czf "$OUT/tune.tar.gz" tune_a.csv tune_b.csv tune_sdpa.csv )
)
MODE=suite SUITE=validation/jobs_stream_k_v7.csv SUITE_NAME=suite_stream_k_v17_v7 ARGS="--kv-stages 4" SDPA=1 \
  SUITE_TIMEOUT=200 SDPA_TIMEOUT=60 bash "$here/run_gpu_v3.sh"
