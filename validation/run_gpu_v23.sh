#!/usr/bin/env bash
# Clustered stream-K with the push fold (einsim-gpu run --sk-cluster on): compute-sanitizer memcheck
# and racecheck on validation/h200-2026-12-01m/jobs_cluster_sanitize.csv, then
# validation/jobs_cluster_short.csv with the clusters off and on, interleaved twice, PyTorch SDPA on
# its 20 shapes, and phase stamps of two of its jobs (RUNS: the passes, default "off:1 on:1 off:2
# on:2"). On the lent H200 (device tool), from the
# repository root; results in $OUT.
set -uo pipefail
here=$(dirname "$0")
source "$here/gpu_build.sh"  # OUT, BUILD, GPU, t0; logs to $OUT/log.txt
source "$here/gpu_sanitize.sh"
SANITIZE_JOBS=validation/h200-2026-12-01m/jobs_cluster_sanitize.csv SANITIZE_ARGS="--sk-cluster on" sanitize memcheck racecheck synccheck
grep -h "^cl" /tmp/sanitize_memcheck.log | cut -c1-200
cp /tmp/sanitize_memcheck.csv "$OUT/sanitize_push.csv"
for run in ${RUNS:-off:1 on:1 off:2 on:2}; do
  v=${run%:*}; round=${run#*:}
  echo "== cluster $v round $round at $((SECONDS - t0)) s"
  timeout 110 "$GPU" run --jobs validation/jobs_cluster_short.csv --out "$OUT/short_${v}_$round.csv" --warmup 3 --iters 20 \
    --check-rows 2 --kv-stages 4 --sk-cluster "$v" >/tmp/cl.log 2>&1; echo "exit $?: $(tail -1 /tmp/cl.log)"
done
echo "== torch sdpa at $((SECONDS - t0)) s"
PYTHONUNBUFFERED=1 timeout 60 python3 -W ignore cuda/sdpa_peer.py --jobs validation/jobs_cluster_short_shapes.csv --out "$OUT/short_sdpa.csv" \
  --backends flash,cudnn --warmup 3 --iters 20 >/tmp/sdpa.log 2>&1; echo "sdpa exit $?"
grep -E "^(job_id|b1_h64-8_e64_m1k_st,|b1_h64-8_e64_m1k_st_c1g64,)" validation/jobs_cluster_short.csv > /tmp/stamp_jobs.csv
timeout 40 "$GPU" run --jobs /tmp/stamp_jobs.csv --out /tmp/stamps_runs.csv --stamps "$OUT/stamps_push.csv" \
  --warmup 3 --iters 20 --check-rows 2 --kv-stages 4 --sk-cluster on 2>&1 | tail -n 3 | cut -c1-200
echo "done at $((SECONDS - t0)) s"
