#!/usr/bin/env bash
# On the lent GPU (device tool), from the repository root: builds einsim-gpu from cuda/ alone,
# runs the microbenchmarks, the correctness jobs, the decode suite (ours: data-parallel, split-K,
# stream-K) and PyTorch SDPA (flash, cudnn) on the same shapes, then stream-K variants.
# Everything lands in $OUT (default ./gpu-out); the last lines print a short summary.
# Usage: [SDPA=0] [CHECK_ROWS=N] [TUNE=jobs.csv] validation/run_gpu.sh [JOBS.csv]
#   (default validation/jobs_decode_suite.csv; SDPA=0 skips PyTorch; CHECK_ROWS: rows checked
#   against the float64 reference per job, default 16; TUNE: extra jobs, default
#   validation/tune_stream_k.csv)
set -uo pipefail
OUT=${OUT:-gpu-out}
mkdir -p "$OUT"
JOBS=${1:-validation/jobs_decode_suite.csv}
CHECK_ROWS=${CHECK_ROWS:-16}
TUNE=${TUNE:-validation/tune_stream_k.csv}
BUILD=${BUILD:-build-gpu}
LOG="$OUT/log.txt"
exec > >(tee -a "$LOG") 2>&1
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,memory.used,temperature.gpu,power.draw --format=csv
t0=$SECONDS
if ! { cmake -S cuda -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build "$BUILD" -j "$(nproc)"; } >"$BUILD.log" 2>&1; then
  tail -60 "$BUILD.log"; exit 1
fi
echo "built in $((SECONDS - t0)) s"
GPU="$BUILD/einsim-gpu"
"$GPU" bench --out "$OUT/micro.csv"
echo "== correctness (cuda/jobs/smoke.csv)"
timeout 120 "$GPU" run --jobs cuda/jobs/smoke.csv --out "$OUT/smoke.csv" --warmup 1 --iters 3 | tail -3
echo "== decode suite, ours ($JOBS) at $((SECONDS - t0)) s"
timeout "${SUITE_TIMEOUT:-300}" "$GPU" run --jobs "$JOBS" --out "$OUT/suite.csv" --warmup 3 --iters 20 --check-rows "$CHECK_ROWS" >"$OUT/suite.log" 2>&1; echo "exit $?"
echo "== decode suite, torch sdpa at $((SECONDS - t0)) s"
[ "${SDPA:-1}" = 0 ] || PYTHONUNBUFFERED=1 timeout 240 python3 -W ignore cuda/sdpa_peer.py --jobs "$JOBS" --out "$OUT/suite_sdpa.csv" \
  --backends flash,cudnn --warmup 3 --iters 20 >"$OUT/sdpa.log" 2>&1; echo "exit $?"
echo "== stream-K variants at $((SECONDS - t0)) s"
timeout 60 "$GPU" run --jobs "$TUNE" --out "$OUT/tune.csv" --warmup 3 --iters 20 >/dev/null 2>&1; echo "exit $?"
echo "done at $((SECONDS - t0)) s"
cat "$OUT/micro.csv"
for f in smoke suite suite_sdpa tune; do
  [ -f "$OUT/$f.csv" ] && echo "$f: $(($(wc -l <"$OUT/$f.csv") - 1)) rows, status: $(tail -n +2 "$OUT/$f.csv" | grep -o ',\(ok\|wrong\|error\),' | sort | uniq -c | tr '\n' ' ')"
done
