#!/usr/bin/env bash
# The stream-K kernel with the release hand-off as its only one (the runtime switch, which cost
# the E = 64 kernels registers, removed: validation/h200-2026-12-01c/handoff_release_only.patch,
# applied). Builds einsim-gpu from cuda/ as it is (release_only) and, from a copy with that patch
# reversed, the switch build of h200-2026-12-01c (switch); runs the E = 64, M >= 64K jobs under
# the v6 mappings and the v4 jobs at M <= 16K under both builds, one after the other per set;
# then the v7 mappings (validation/jobs_stream_k_v7.csv, whose E = 64 rows are v4's) with
# release_only and PyTorch SDPA on the same shapes; then the stream-K candidates for the shapes
# still below 0.95 of SDPA (validation/jobs_tune_misses.csv) twice, with SDPA on those shapes
# between the passes. On the lent H200 (device tool), from the repository root; results in $OUT.
set -uo pipefail
source "$(dirname "$0")/gpu_build.sh"  # OUT, BUILD (release_only), GPU, t0; logs to $OUT/log.txt
root=$PWD
rm -rf /tmp/sw && mkdir -p /tmp/sw && cp -r cuda /tmp/sw/
( cd /tmp/sw && patch -R -p1 -s <"$root/validation/h200-2026-12-01c/handoff_release_only.patch" ) \
  || { echo "the reversed patch does not apply"; exit 1; }
if ! { cmake -S /tmp/sw/cuda -B build-sw -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build build-sw -j "$(nproc)"; } >build-sw.log 2>&1; then
  tail -40 build-sw.log; exit 1
fi
echo "switch built at $((SECONDS - t0)) s"
pick() { { grep -v '^#' "$1" | head -1; grep "$2" "$1"; } >"$3"; }
pick validation/jobs_stream_k_v6.csv '_e64_m\(64\|128\|256\|512\)k_st,' /tmp/long_v6.csv
pick validation/jobs_stream_k_v4_short.csv '_st,' /tmp/short_v4.csv
for set in long_v6 short_v4; do
  for build in release_only switch; do
    bin="$GPU"; [ $build = switch ] && bin=build-sw/einsim-gpu
    echo "== $build $set at $((SECONDS - t0)) s"
    timeout 80 "$bin" run --jobs /tmp/$set.csv --out "$OUT/${build}_${set}.csv" --warmup 3 --iters 20 --check-rows 2 \
      --kv-stages 4 >/tmp/run.log 2>&1
    echo "exit $?: $(tail -1 /tmp/run.log)"
  done
done
# At most eight files come back from a device call: the A/B runs go back in one archive.
( cd "$OUT" && tar czf ab_runs.tar.gz release_only_*.csv switch_*.csv && rm -f release_only_*.csv switch_*.csv )
MODE=suite SUITE=validation/jobs_stream_k_v7.csv SUITE_NAME=suite_stream_k_v16_v7 ARGS="--kv-stages 4" SDPA=1 \
  SUITE_TIMEOUT=200 SDPA_TIMEOUT=60 bash "$(dirname "$0")/run_gpu_v3.sh"
echo "== tune (validation/jobs_tune_misses.csv) at $((SECONDS - t0)) s"
timeout 70 "$GPU" run --jobs validation/jobs_tune_misses.csv --out "$OUT/tune_a.csv" --warmup 3 --iters 20 --check-rows 1 \
  --kv-stages 4 >/tmp/tune.log 2>&1; echo "exit $?: $(tail -1 /tmp/tune.log)"
PYTHONUNBUFFERED=1 timeout 40 python3 -W ignore cuda/sdpa_peer.py --jobs validation/jobs_tune_misses_shapes.csv \
  --out "$OUT/tune_sdpa.csv" --backends flash,cudnn --warmup 3 --iters 20 >/tmp/tune_sdpa.log 2>&1; echo "sdpa exit $?"
timeout 70 "$GPU" run --jobs validation/jobs_tune_misses.csv --out "$OUT/tune_b.csv" --warmup 3 --iters 20 --check-rows 1 \
  --kv-stages 4 >/tmp/tune.log 2>&1; echo "exit $?: $(tail -1 /tmp/tune.log)"
( cd "$OUT" && tar czf tune.tar.gz tune_*.csv && rm -f tune_*.csv )
echo "all done at $((SECONDS - t0)) s"
