#!/usr/bin/env bash
# The measurements of validation/h200-2026-12-01 on the lent H200 (device tool), from the
# repository root; results in $OUT (at most eight files come back from a device call). PART=a:
# smoke jobs, compute-sanitizer on cuda/jobs/sanitize.csv with 2 and with up to 4 K/V stages
# (stream-K grids whose CTAs run several segments), then the stream-K suite
# (validation/jobs_stream_k_v4.csv, --kv-stages 4) and PyTorch SDPA on the same shapes, twice
# over in the same call (suite_stream_k_v12a/b and their _sdpa files: the comparison is taken
# within a pass, and the two passes show the spread); PART=b: the split-K and data-parallel
# suites, one CUDA context a job (the runner's default; the -30h ones ran in one context).
set -uo pipefail
here=$(dirname "$0")
case "${PART:-a}" in
  a)
    (
      source "$here/gpu_build.sh"
      echo "== compute-sanitizer at $((SECONDS - t0)) s"
      for stages in 2 4; do
        for tool in memcheck racecheck synccheck; do
          timeout 120 compute-sanitizer --tool $tool --error-exitcode 9 "$GPU" run --jobs cuda/jobs/sanitize.csv \
            --out "/tmp/sanitize_$tool.csv" --warmup 0 --iters 1 --copies 1 --kv-stages $stages >"/tmp/sanitize_$tool.log" 2>&1
          echo "kv-stages $stages $tool exit $?: $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "/tmp/sanitize_$tool.log" | tail -1)"
        done
      done
    )
    SMOKE=1 MODE=suite SUITE=validation/jobs_stream_k_v4.csv SUITE_NAME=suite_stream_k_v12a ARGS="--kv-stages 4" SDPA=1 \
      SUITE_TIMEOUT=300 bash "$here/run_gpu_v3.sh"
    MODE=suite SUITE=validation/jobs_stream_k_v4.csv SUITE_NAME=suite_stream_k_v12b ARGS="--kv-stages 4" SDPA=1 \
      SUITE_TIMEOUT=300 bash "$here/run_gpu_v3.sh" ;;
  b)
    MODE=suite SUITE=validation/jobs_decode_split_k.csv SUITE_NAME=suite_split_k_v12 bash "$here/run_gpu_v3.sh"
    grep -v '_sk,' validation/jobs_decode_dp_sk.csv >/tmp/jobs_decode_dp.csv
    MODE=suite SUITE=/tmp/jobs_decode_dp.csv SUITE_NAME=suite_dp_v12 SUITE_TIMEOUT=300 bash "$here/run_gpu_v3.sh" ;;
esac
rm -f "${OUT:-gpu-out}"/*.log
