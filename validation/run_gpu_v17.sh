#!/usr/bin/env bash
# Stream-K grids of one CTA a unit at B = 16, 32/32, E = 64, 1K/2K with two or three K/V stages
# and 64- or 32-key tiles: validation/jobs_stream_k_units_2.csv twice, PyTorch SDPA on its shapes
# between the passes. On the lent H200 (device tool), from the repository root;
# results in $OUT.
set -uo pipefail
source "$(dirname "$0")/gpu_build.sh"  # OUT, BUILD, GPU, t0; logs to $OUT/log.txt
for pass in a b; do
  echo "== units $pass at $((SECONDS - t0)) s"
  timeout 80 "$GPU" run --jobs validation/jobs_stream_k_units_2.csv --out "$OUT/units_$pass.csv" --warmup 3 --iters 20 \
    --check-rows 2 --kv-stages 4 >/tmp/units.log 2>&1; echo "exit $?: $(tail -1 /tmp/units.log)"
  if [ $pass = a ]; then
    PYTHONUNBUFFERED=1 timeout 40 python3 -W ignore cuda/sdpa_peer.py --jobs validation/jobs_stream_k_units_2_shapes.csv \
      --out "$OUT/units_sdpa.csv" --backends flash,cudnn --warmup 3 --iters 20 >/tmp/sdpa.log 2>&1; echo "sdpa exit $?"
  fi
done
echo "done at $((SECONDS - t0)) s"
