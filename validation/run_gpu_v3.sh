#!/usr/bin/env bash
# Phase stamps of the decode kernels on the lent H200 (device tool), from the repository root;
# results in $OUT. Builds einsim-gpu from cuda/ alone, runs JOBS (default
# validation/jobs_stamps.csv) with --stamps under each runner variant of VARIANTS
# (name:options, options joined by ':'), then, when COMPARE is set (a jobs CSV), that file
# under each variant and PyTorch SDPA flash + cuDNN on the same shapes, in the same call.
set -uo pipefail
OUT=${OUT:-gpu-out}
mkdir -p "$OUT"
BUILD=${BUILD:-build-gpu}
exec > >(tee -a "$OUT/log.txt") 2>&1
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem --format=csv,noheader
t0=$SECONDS
if ! { cmake -S cuda -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build "$BUILD" -j "$(nproc)"; } >"$BUILD.log" 2>&1; then
  tail -60 "$BUILD.log"; exit 1
fi
echo "built in $((SECONDS - t0)) s"
GPU="$BUILD/einsim-gpu"
JOBS=${JOBS:-validation/jobs_stamps.csv}
VARIANTS=${VARIANTS:-full:--sk-grid=full}
for v in $VARIANTS; do
  name=${v%%:*}; args=$(echo "${v#*:}" | tr ':' ' ')
  echo "== stamps $name ($args) at $((SECONDS - t0)) s"
  timeout "${RUN_TIMEOUT:-120}" "$GPU" run --jobs "$JOBS" --out "$OUT/stamps_runs_$name.csv" --stamps "$OUT/stamps_$name.csv" \
    --warmup 3 --iters 20 --check-rows 2 $args 2>&1 | tail -n 12
done
if [ -n "${COMPARE:-}" ]; then
  for v in $VARIANTS; do
    name=${v%%:*}; args=$(echo "${v#*:}" | tr ':' ' ')
    echo "== compare $name ($args) at $((SECONDS - t0)) s"
    timeout "${COMPARE_TIMEOUT:-150}" "$GPU" run --jobs "$COMPARE" --out "$OUT/compare_$name.csv" \
      --warmup 3 --iters 20 --check-rows 2 $args >"$OUT/compare_$name.log" 2>&1; echo "exit $?"
  done
  echo "== torch sdpa at $((SECONDS - t0)) s"
  PYTHONUNBUFFERED=1 timeout "${SDPA_TIMEOUT:-150}" python3 -W ignore cuda/sdpa_peer.py --jobs "$COMPARE" --out "$OUT/compare_sdpa.csv" \
    --backends flash,cudnn --warmup 3 --iters 20 >"$OUT/compare_sdpa.log" 2>&1; echo "exit $?"
fi
if command -v cuobjdump >/dev/null; then
  obj=$(find "$BUILD" -name 'decode_stream_k.cu.o' | head -1)
  cuobjdump -sass "$obj" >"$OUT/stream_k.sass" 2>&1 || true
  gzip -f "$OUT/stream_k.sass"
fi
echo "done at $((SECONDS - t0)) s"
