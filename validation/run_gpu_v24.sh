#!/usr/bin/env bash
# Clusters as a mapping field: `einsim-gpu bench --only clusters` (the GPCs from where clusters
# land, the occupancy API's co-resident clusters beside the GPC rule, SM-to-SM latency and push
# rate), the jobs CSV's cluster column (cuda/jobs/cluster.csv: clustered jobs ok, bad ones refused;
# compute-sanitizer memcheck and racecheck on it), then validation/jobs_cluster_mapper_short.csv
# (the v8 rows where the model picks clusters, and its picks) in PASSES interleaved passes with
# PyTorch SDPA on its shapes. On the lent H200 (device tool), from the repository root; results in $OUT.
set -uo pipefail
here=$(dirname "$0")
source "$here/gpu_build.sh"  # OUT, BUILD, GPU, t0; logs to $OUT/log.txt
source "$here/gpu_sanitize.sh"
echo "== bench clusters at $((SECONDS - t0)) s"
timeout 120 "$GPU" bench --only clusters --out "$OUT/clusters.csv" 2>&1 | tail -n 20 | cut -c1-220
echo "== cuda/jobs/cluster.csv at $((SECONDS - t0)) s"
timeout 60 "$GPU" run --jobs cuda/jobs/cluster.csv --out "$OUT/cluster_jobs.csv" --warmup 1 --iters 3 --check-rows 2 --kv-stages 4 \
  2>&1 | tail -n 3 | cut -c1-200
cut -d, -f1,18,27- "$OUT/cluster_jobs.csv" | cut -c1-260
SANITIZE_JOBS=cuda/jobs/cluster.csv sanitize memcheck racecheck
for pass in $(seq 1 "${PASSES:-3}"); do
  echo "== mapper short pass $pass at $((SECONDS - t0)) s"
  timeout 60 "$GPU" run --jobs validation/jobs_cluster_mapper_short.csv --out "$OUT/mapper_short_$pass.csv" --warmup 3 --iters 20 \
    --check-rows 2 --kv-stages 4 >/tmp/ms.log 2>&1; echo "exit $?: $(tail -1 /tmp/ms.log | cut -c1-160)"
done
echo "== torch sdpa at $((SECONDS - t0)) s"
PYTHONUNBUFFERED=1 timeout 60 python3 -W ignore cuda/sdpa_peer.py --jobs validation/jobs_cluster_mapper_short.csv \
  --out "$OUT/mapper_short_sdpa.csv" --backends flash,cudnn --warmup 3 --iters 20 >/tmp/sdpa.log 2>&1; echo "sdpa exit $?"
echo "done at $((SECONDS - t0)) s"
