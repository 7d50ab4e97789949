#!/usr/bin/env bash
# Stream-K grids of one CTA a unit, launched with the kernel without hand-off and fold
# (cuda/attention_launch.cu): compute-sanitizer memcheck and racecheck on cuda/jobs/sanitize.csv
# (unless SANITIZE=0), then validation/jobs_stream_k_units.csv (or UNITS) twice with PyTorch SDPA
# on its shapes (validation/jobs_stream_k_units_shapes.csv, or UNITS_SHAPES) between the passes.
# On the lent H200 (device tool), from the repository root; results in $OUT.
set -uo pipefail
source "$(dirname "$0")/gpu_build.sh"  # OUT, BUILD, GPU, t0; logs to $OUT/log.txt
source "$(dirname "$0")/gpu_sanitize.sh"
[ "${SANITIZE:-1}" = 1 ] && sanitize memcheck racecheck && cp /tmp/sanitize_memcheck.csv "$OUT/sanitize.csv"
for pass in a b; do
  echo "== units $pass at $((SECONDS - t0)) s"
  timeout 80 "$GPU" run --jobs "${UNITS:-validation/jobs_stream_k_units.csv}" --out "$OUT/units_$pass.csv" --warmup 3 --iters 20 \
    --check-rows 2 --kv-stages 4 >/tmp/units.log 2>&1; echo "exit $?: $(tail -1 /tmp/units.log)"
  if [ $pass = a ]; then
    PYTHONUNBUFFERED=1 timeout 40 python3 -W ignore cuda/sdpa_peer.py --jobs "${UNITS_SHAPES:-validation/jobs_stream_k_units_shapes.csv}" \
      --out "$OUT/units_sdpa.csv" --backends flash,cudnn --warmup 3 --iters 20 >/tmp/sdpa.log 2>&1; echo "sdpa exit $?"
  fi
done
echo "done at $((SECONDS - t0)) s"
