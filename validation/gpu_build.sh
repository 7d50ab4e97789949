# Sourced by validation/run_gpu_v2.sh and run_gpu_v3.sh on the GPU machine: logs to $OUT/log.txt,
# prints the GPU and its clocks, builds einsim-gpu from cuda/ alone into $BUILD, and sets GPU (the
# runner) and t0 (the start, for the scripts' timestamps). Exits when the build fails.
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
