#!/usr/bin/env bash
# Not kept: run with validation/h200-2026-12-01k/tile_pool.patch applied to ee577be (`git apply`);
# the script lived at validation/run_gpu_v20.sh when it ran (h200-2026-12-01k/README.md).
# The stream-K tile pool (cuda/tile_pool.h, `einsim-gpu run --sk-pool F`): compute-sanitizer
# (memcheck, racecheck, synccheck) on validation/h200-2026-12-01k/jobs_pool_sanitize.csv with --sk-pool 0.5, then
# validation/h200-2026-12-01k/jobs_pool_ab.csv under HEAD's kernels (built from build-head-src/cuda, which the
# device call carries: `git archive <base> cuda | tar -x -C build-head-src`), this tree without a
# pool, and this tree with own fractions 0.75 and 0.5, then HEAD and 0.75 again; then phase stamps of
# validation/jobs_stamps_long.csv with --sk-pool 0.75. On the lent H200 (device tool), from the
# repository root; results in $OUT.
set -uo pipefail
here=$(dirname "$0")/..
source "$here/gpu_build.sh"  # OUT, BUILD, GPU, t0; logs to $OUT/log.txt
source "$here/gpu_sanitize.sh"
SANITIZE_JOBS=validation/h200-2026-12-01k/jobs_pool_sanitize.csv SANITIZE_ARGS="--sk-pool 0.5" sanitize memcheck racecheck synccheck
grep -h "pool" /tmp/sanitize_memcheck.log | head -3
cp /tmp/sanitize_memcheck.csv "$OUT/sanitize_pool.csv"
if ! { cmake -S build-head-src/cuda -B build-head -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build build-head -j "$(nproc)"; } >build-head.log 2>&1; then
  tail -30 build-head.log; exit 1
fi
echo "head built at $((SECONDS - t0)) s"
mkdir -p "$OUT/ab"
for run in head:1 off:1 p75:1 p50:1 head:2 p75:2; do
  v=${run%:*}; round=${run#*:}
  case $v in
    head) bin=build-head/einsim-gpu; args="" ;;
    off) bin=$GPU; args="" ;;
    p75) bin=$GPU; args="--sk-pool 0.75" ;;
    p50) bin=$GPU; args="--sk-pool 0.5" ;;
  esac
  echo "== $v round $round at $((SECONDS - t0)) s"
  timeout 120 "$bin" run --jobs validation/h200-2026-12-01k/jobs_pool_ab.csv --out "$OUT/ab/${v}_$round.csv" --warmup 3 --iters 20 \
    --check-rows 1 --kv-stages 4 $args >/tmp/ab.log 2>&1; echo "exit $?: $(tail -1 /tmp/ab.log)"
done
(cd "$OUT" && tar czf ab.tgz ab && rm -r ab)
echo "== stamps with --sk-pool 0.75 at $((SECONDS - t0)) s"
timeout 100 "$GPU" run --jobs validation/jobs_stamps_long.csv --out "$OUT/stamps_pool_runs.csv" --stamps "$OUT/stamps_pool.csv" \
  --warmup 3 --iters 20 --check-rows 2 --kv-stages 4 --sk-pool 0.75 2>&1 | tail -n 8
echo "done at $((SECONDS - t0)) s"
