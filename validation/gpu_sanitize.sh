# Sourced after validation/gpu_build.sh (which sets GPU): `sanitize TOOL...` runs compute-sanitizer
# with each tool (memcheck, racecheck, synccheck) over cuda/jobs/sanitize.csv with up to 4 K/V
# stages, one line a tool with its exit status and summary; each run's CSV is
# /tmp/sanitize_TOOL.csv and its log /tmp/sanitize_TOOL.log. SANITIZE_JOBS (a jobs CSV) and
# SANITIZE_ARGS (runner options) change what is run.
sanitize() {
  echo "== compute-sanitizer at $((SECONDS - t0)) s"
  for tool in "$@"; do
    timeout 100 compute-sanitizer --tool "$tool" --error-exitcode 9 "$GPU" run --jobs "${SANITIZE_JOBS:-cuda/jobs/sanitize.csv}" \
      --out "/tmp/sanitize_$tool.csv" --warmup 0 --iters 1 --copies 1 --kv-stages 4 ${SANITIZE_ARGS:-} >"/tmp/sanitize_$tool.log" 2>&1
    echo "kv-stages 4 $tool exit $?: $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "/tmp/sanitize_$tool.log" | tail -1)"
  done
}
