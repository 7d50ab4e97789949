#!/usr/bin/env bash
# The read floor by size (einsim-gpu bench --only floor: one launch reading 16 MiB .. 1 GiB) and the
# core microbenchmarks (copy bandwidth) of the same call, then phase stamps of
# validation/jobs_stamps_long.csv (the 134 MB job at 83% of copy and its neighbours) and PyTorch SDPA
# on the same shapes. On the lent H200 (device tool), from the repository root; results in $OUT.
set -uo pipefail
source "$(dirname "$0")/gpu_build.sh"  # OUT, BUILD, GPU, t0; logs to $OUT/log.txt
for pass in a b; do
  echo "== bench floor $pass at $((SECONDS - t0)) s"
  timeout 120 "$GPU" bench --only floor --out "$OUT/floor_$pass.csv" --iters 30 | tail -n 14
done
echo "== bench core at $((SECONDS - t0)) s"
timeout 120 "$GPU" bench --only core --out "$OUT/micro.csv" --iters 30 | grep -E "copy|read|launch"
echo "== stamps at $((SECONDS - t0)) s"
timeout 120 "$GPU" run --jobs validation/jobs_stamps_long.csv --out "$OUT/stamps_runs.csv" --stamps "$OUT/stamps.csv" \
  --warmup 3 --iters 20 --check-rows 2 --kv-stages 4 2>&1 | tail -n 8
echo "== torch sdpa at $((SECONDS - t0)) s"
PYTHONUNBUFFERED=1 timeout 60 python3 -W ignore cuda/sdpa_peer.py --jobs validation/jobs_stamps_long.csv \
  --out "$OUT/stamps_sdpa.csv" --backends flash,cudnn --warmup 3 --iters 20 >/tmp/sdpa.log 2>&1; echo "sdpa exit $?"
echo "done at $((SECONDS - t0)) s"
