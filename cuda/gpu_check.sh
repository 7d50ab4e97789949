#!/usr/bin/env bash
# On a GPU machine, from the repository root: builds einsim-gpu from cuda/ alone, runs the GPU
# test (ctest -L gpu), the microbenchmarks (with the cp.async streaming ones), the correctness
# jobs, compute-sanitizer on tiny jobs, the timing jobs and the PyTorch SDPA peer. Results go to
# $OUT (default ./gpu-out). Usage: cuda/gpu_check.sh [quick]
set -uo pipefail
OUT=${OUT:-gpu-out}
mkdir -p "$OUT"
BUILD=${BUILD:-build-gpu}
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,memory.used --format=csv
if ! { cmake -S cuda -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release &&
       cmake --build "$BUILD" -j "$(nproc)"; } >"$OUT/build.log" 2>&1; then
  tail -60 "$OUT/build.log"
  exit 1
fi
echo "built $BUILD/einsim-gpu"
GPU="$BUILD/einsim-gpu"
ctest --test-dir "$BUILD" -L gpu --output-on-failure | tail -3
"$GPU" bench --out "$OUT/micro.csv"
"$GPU" bench --out "$OUT/micro_stream.csv" --only stream
echo "== correctness"
"$GPU" run --jobs cuda/jobs/smoke.csv --out "$OUT/smoke.csv" --warmup 2 --iters 20
if command -v compute-sanitizer >/dev/null && [ "${1:-}" != quick ]; then
  echo "== compute-sanitizer"
  : >"$OUT/sanitize.log"
  for tool in memcheck racecheck synccheck; do
    timeout 240 compute-sanitizer --tool $tool --error-exitcode 9 \
      "$GPU" run --jobs cuda/jobs/sanitize.csv --out "/tmp/sanitize_$tool.csv" --warmup 0 \
      --iters 1 --copies 1 >"/tmp/sanitize_$tool.log" 2>&1
    rc=$?
    { echo "=== $tool exit $rc"; cat "/tmp/sanitize_$tool.log"; } >>"$OUT/sanitize.log"
    echo "$tool exit $rc: $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "/tmp/sanitize_$tool.log" | tail -1)"
  done
fi
echo "== timing"
"$GPU" run --jobs cuda/jobs/timing.csv --out "$OUT/timing.csv"
if [ "${1:-}" != quick ]; then
  echo "== timing, 3-stage K/V pipeline"
  "$GPU" run --jobs cuda/jobs/timing.csv --out "$OUT/timing_kv3.csv" --kv-stages 3
fi
echo "== torch sdpa"
PYTHONUNBUFFERED=1 python3 -W ignore cuda/sdpa_peer.py --jobs cuda/jobs/timing.csv --out "$OUT/sdpa.csv"
