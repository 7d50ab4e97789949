#!/usr/bin/env bash
# Stream-K hand-off without per-thread fences (`--handoff release`: the partial's stores, the
# CTA's barrier, then one st.release of the flag; the host's acquire loads then the barrier) against
# the fenced hand-off (`--handoff fence`, the default), same binary, interleaved twice over the
# stream-K jobs at M <= 16K (validation/jobs_stream_k_v4_short.csv) and the B = 1, 64/8, E = 64
# long jobs; then PyTorch SDPA on the same shapes and the phase stamps of validation/jobs_stamps.csv
# with the release hand-off. On the lent H200 (device tool), from the repository root; results in $OUT.
set -uo pipefail
source "$(dirname "$0")/gpu_build.sh"  # OUT, BUILD, GPU, t0; logs to $OUT/log.txt
jobs=/tmp/jobs_handoff.csv
{ grep -v '^#' validation/jobs_stream_k_v4_short.csv; grep '^b1_h64-8_e64_m\(64\|128\|256\)k_st,' validation/jobs_stream_k_v4.csv; } >$jobs
echo "$(($(wc -l <$jobs) - 1)) jobs"
for pass in a b; do
  for mode in fence release; do
    echo "== $mode $pass at $((SECONDS - t0)) s"
    timeout 150 "$GPU" run --jobs $jobs --out "$OUT/${mode}_$pass.csv" --warmup 3 --iters 20 --check-rows 2 --kv-stages 4 \
      --handoff $mode >/tmp/$mode.log 2>&1
    echo "exit $?: $(tail -1 /tmp/$mode.log)"
  done
done
echo "== stamps (release) at $((SECONDS - t0)) s"
timeout 120 "$GPU" run --jobs validation/jobs_stamps.csv --out /tmp/stamps_runs.csv --stamps "$OUT/stamps_release.csv" \
  --warmup 3 --iters 20 --check-rows 2 --handoff release | tail -n 10
echo "== torch sdpa at $((SECONDS - t0)) s"
PYTHONUNBUFFERED=1 timeout 120 python3 -W ignore cuda/sdpa_peer.py --jobs $jobs --out "$OUT/sdpa.csv" --backends flash,cudnn --warmup 3 --iters 20 \
  >/tmp/sdpa.log 2>&1; echo "exit $?"
echo "done at $((SECONDS - t0)) s"
