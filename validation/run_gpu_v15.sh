#!/usr/bin/env bash
# Is the fold without its run-time choice (validation/h200-2026-12-01e/fold_batched_only.patch:
# stream-K registers at E = 64 224 -> 128 and 218 -> 168) slower, as -01e's suite measured beside
# -01d's (E = 64 2% geomean, up to 9%)? Sanitizers and smoke jobs on cuda/ as it is; builds einsim-gpu from cuda/ as it is (switch: the fold
# chosen at run time, the release hand-off only) and from a copy with the patch (fold1); runs
# the v7 stream-K jobs at E = 64, M <= 16K and the 2-CTAs-an-SM candidates of
# validation/jobs_tune_e64.csv under switch, fold1, fold1, switch; then the stream-K suite with
# the v7 mappings under switch and PyTorch SDPA on its shapes (pass b of -01d's).
# On the lent H200 (device tool), from the repository root; results in $OUT.
set -uo pipefail
here=$(dirname "$0")
(
  source "$here/gpu_build.sh"  # OUT, BUILD (switch), GPU, t0; logs to $OUT/log.txt
  source "$here/gpu_sanitize.sh"
  sanitize memcheck racecheck synccheck
  echo "== smoke (cuda/jobs/smoke.csv) at $((SECONDS - t0)) s"
  timeout 120 "$GPU" run --jobs cuda/jobs/smoke.csv --out "$OUT/smoke.csv" --warmup 1 --iters 3 | tail -1
  root=$PWD
  rm -rf /tmp/f1 && mkdir -p /tmp/f1 && cp -r cuda tests /tmp/f1/
  ( cd /tmp/f1 && patch -p1 -s <"$root/validation/h200-2026-12-01e/fold_batched_only.patch" ) || { echo "patch does not apply"; exit 1; }
  if ! { cmake -S /tmp/f1/cuda -B build-f1 -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build build-f1 -j "$(nproc)"; } >build-f1.log 2>&1; then
    tail -40 build-f1.log; exit 1
  fi
  echo "fold1 built at $((SECONDS - t0)) s"
  { grep -v '^#' validation/jobs_stream_k_v7.csv | head -1
    grep '_e64_m\(1\|2\|4\|8\|16\)k_st,' validation/jobs_stream_k_v7.csv
    grep 'c2g' validation/jobs_tune_e64.csv; } >/tmp/ab.csv
  echo "$(($(wc -l </tmp/ab.csv) - 1)) A/B jobs"
  i=0
  for build in switch fold1 fold1 switch; do
    i=$((i + 1)); bin="$GPU"; [ $build = fold1 ] && bin=build-f1/einsim-gpu
    echo "== $build ($i) at $((SECONDS - t0)) s"
    timeout 60 "$bin" run --jobs /tmp/ab.csv --out "/tmp/ab_${i}_$build.csv" --warmup 3 --iters 20 --check-rows 1 \
      --kv-stages 4 >/tmp/ab.log 2>&1; echo "exit $?: $(tail -1 /tmp/ab.log)"
  done
  ( cd /tmp && tar czf "$OUT/ab_fold.tar.gz" ab_*_*.csv )
)
MODE=suite SUITE=validation/jobs_stream_k_v7.csv SUITE_NAME=suite_stream_k_v16b_v7 ARGS="--kv-stages 4" SDPA=1 \
  SUITE_TIMEOUT=200 SDPA_TIMEOUT=60 bash "$here/run_gpu_v3.sh"
