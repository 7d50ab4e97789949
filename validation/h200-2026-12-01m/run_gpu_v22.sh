#!/usr/bin/env bash
# Not kept: run with validation/h200-2026-12-01m/stream_k_cluster.patch applied (`git apply`); it ran as
# validation/run_gpu_v22.sh (README.md here).
# Clustered stream-K (einsim-gpu run --sk-cluster on, cuda/decode_stream_k_cluster.cu): compute-
# sanitizer memcheck, racecheck and synccheck on validation/h200-2026-12-01m/jobs_cluster_sanitize.csv, then
# validation/h200-2026-12-01m/jobs_cluster.csv with the clusters off and on, interleaved twice, PyTorch SDPA on the
# same jobs, and phase stamps of validation/h200-2026-12-01m/jobs_cluster_stamps.csv with the clusters on. On the
# lent H200 (device tool), from the repository root; results in $OUT.
set -uo pipefail
here=$(dirname "$0")/..
source "$here/gpu_build.sh"  # OUT, BUILD, GPU, t0; logs to $OUT/log.txt
source "$here/gpu_sanitize.sh"
SANITIZE_JOBS=validation/h200-2026-12-01m/jobs_cluster_sanitize.csv SANITIZE_ARGS="--sk-cluster on" sanitize memcheck racecheck synccheck
grep -h "cl8\|cl4\|cl16" /tmp/sanitize_memcheck.log | cut -c1-230
cp /tmp/sanitize_memcheck.csv "$OUT/sanitize_cluster.csv"
for run in off:1 on:1 off:2 on:2; do
  v=${run%:*}; round=${run#*:}
  echo "== cluster $v round $round at $((SECONDS - t0)) s"
  timeout 100 "$GPU" run --jobs validation/h200-2026-12-01m/jobs_cluster.csv --out "$OUT/cluster_${v}_$round.csv" --warmup 3 --iters 20 \
    --check-rows 2 --kv-stages 4 --sk-cluster "$v" >/tmp/cl.log 2>&1; echo "exit $?: $(tail -1 /tmp/cl.log)"
done
echo "== torch sdpa at $((SECONDS - t0)) s"
PYTHONUNBUFFERED=1 timeout 90 python3 -W ignore cuda/sdpa_peer.py --jobs validation/h200-2026-12-01m/jobs_cluster.csv --out "$OUT/cluster_sdpa.csv" \
  --backends flash,cudnn --warmup 3 --iters 20 >/tmp/sdpa.log 2>&1; echo "sdpa exit $?"
echo "== stamps at $((SECONDS - t0)) s"
timeout 60 "$GPU" run --jobs validation/h200-2026-12-01m/jobs_cluster_stamps.csv --out "$OUT/stamps_cluster_runs.csv" --stamps "$OUT/stamps_cluster.csv" \
  --warmup 3 --iters 20 --check-rows 2 --kv-stages 4 --sk-cluster on 2>&1 | tail -n 5 | cut -c1-250
echo "done at $((SECONDS - t0)) s"
