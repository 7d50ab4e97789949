#!/usr/bin/env bash
# Does preloading a stream-K CTA's next segment make the full grid (CTAs an SM x SMs, CTAs that
# straddle two heads) worth more than the snapped one (no CTA straddles) at B = 1? On the lent H200
# (device tool), from the repository root; results in $OUT. Builds einsim-gpu from cuda/ as it is
# (base) and from a copy with validation/h200-2026-12-01/preload_next.patch applied (preload), then
# runs validation/jobs_preload_grid.csv (each shape under both grids) with --kv-stages 4: base,
# preload with --preload next, preload with --preload off (the same binary), base again; then
# PyTorch SDPA on the same shapes.
set -uo pipefail
source "$(dirname "$0")/gpu_build.sh"  # OUT, BUILD (base), GPU, t0; logs to $OUT/log.txt
root=$PWD
rm -rf /tmp/pre && mkdir -p /tmp/pre && cp -r cuda /tmp/pre/
( cd /tmp/pre && { git apply "$root/validation/h200-2026-12-01/preload_next.patch" 2>/dev/null || patch -p1 -s <"$root/validation/h200-2026-12-01/preload_next.patch"; } ) \
  || { echo "preload patch does not apply"; exit 1; }
if ! { cmake -S /tmp/pre/cuda -B build-pre -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build build-pre -j "$(nproc)"; } >build-pre.log 2>&1; then
  tail -40 build-pre.log; exit 1
fi
echo "preload built at $((SECONDS - t0)) s"
JOBS=validation/jobs_preload_grid.csv
run() {  # name binary args...
  local name=$1 bin=$2; shift 2
  echo "== $name ($*) at $((SECONDS - t0)) s"
  timeout 150 "$bin" run --jobs $JOBS --out "$OUT/$name.csv" --warmup 3 --iters 20 --check-rows 2 --kv-stages 4 "$@" >"$OUT/$name.log" 2>&1
  echo "exit $?: $(tail -1 "$OUT/$name.log")"
}
run base "$GPU"
run preload build-pre/einsim-gpu --preload next
run preload_off build-pre/einsim-gpu --preload off
run base_b "$GPU"
echo "== torch sdpa at $((SECONDS - t0)) s"
PYTHONUNBUFFERED=1 timeout 120 python3 -W ignore cuda/sdpa_peer.py --jobs $JOBS --out "$OUT/sdpa.csv" --backends flash,cudnn --warmup 3 --iters 20 \
  >"$OUT/sdpa.log" 2>&1; echo "exit $?"
rm -f "$OUT"/*.log
echo "done at $((SECONDS - t0)) s"
