#!/usr/bin/env bash
# Stream-K v2 on the lent H200 (device tool), from the repository root; results in $OUT.
# Call 1 (MODE=tune): build einsim-gpu from cuda/ alone, ncu per-kernel device time of the
#   stream-K kernel (validation/ncu_stream_k_v2.csv, serial and parallel fold), then
#   validation/tune_stream_k_v2.csv under each runner variant (fold, launch, --kv-stages).
# Call 2 (MODE=suite): JOBS (default validation/jobs_stream_k_v2.csv) with ARGS (runner options),
#   and PyTorch SDPA flash + cuDNN on the same shapes, in the same call.
set -uo pipefail
source "$(dirname "$0")/gpu_build.sh"  # sets OUT, BUILD, GPU, t0; logs to $OUT/log.txt
TMP=$(mktemp -d)
if [ "${MODE:-tune}" = tune ]; then
  for fold in serial parallel; do
    echo "== ncu, fold $fold at $((SECONDS - t0)) s"
    timeout 120 ncu --clock-control none --metrics gpu__time_duration.sum,launch__grid_size,launch__registers_per_thread \
      -k regex:stream_k --csv --log-file "$TMP/ncu_$fold.csv" \
      "$GPU" run --jobs validation/ncu_stream_k_v2.csv --out "$TMP/ncu_run_$fold.csv" --warmup 0 --iters 3 --check-rows 1 --fold $fold >/dev/null
    echo "exit $?"
  done
  { echo "fold,$(grep -m1 '"ID"' "$TMP/ncu_serial.csv")"
    for fold in serial parallel; do grep '^"[0-9]' "$TMP/ncu_$fold.csv" | sed "s/^/$fold,/"; done; } >"$OUT/ncu_v2.csv"
  variants="v0:--fold=serial:--launch=coop:--kv-stages=2 v1:--fold=parallel:--launch=coop:--kv-stages=2 v2:--fold=parallel:--launch=plain:--kv-stages=2 v3:--fold=parallel:--launch=coop:--kv-stages=3 v4:--fold=parallel:--launch=coop:--kv-stages=4 v5:--fold=parallel:--launch=plain:--kv-stages=4"
  first=1
  for v in $variants; do
    name=${v%%:*}; args=$(echo "${v#*:}" | tr ':' ' ')
    echo "== tune $name ($args) at $((SECONDS - t0)) s"
    timeout 90 "$GPU" run --jobs validation/tune_stream_k_v2.csv --out "$TMP/t_$name.csv" --warmup 3 --iters 20 --check-rows 4 $args >"$TMP/t_$name.log" 2>&1; echo "exit $?"
    if [ $first = 1 ]; then echo "variant,options,$(head -1 "$TMP/t_$name.csv")" >"$OUT/tune_v2.csv"; first=0; fi
    tail -n +2 "$TMP/t_$name.csv" | sed "s/^/$name,$args,/" >>"$OUT/tune_v2.csv"
  done
  awk -F, 'NR>1{printf "%-4s %-24s %9s %8s %s %s\n",$1,$3,$21,$26,$28,$27}' "$OUT/tune_v2.csv"
else
  cp "${JOBS:-validation/jobs_stream_k_v2.csv}" "$TMP/st.csv"
  echo "== ours ($(($(wc -l <"$TMP/st.csv") - 1)) stream-K jobs, ${ARGS:-}) at $((SECONDS - t0)) s"
  timeout "${SUITE_TIMEOUT:-330}" "$GPU" run --jobs "$TMP/st.csv" --out "$OUT/suite_stream_k_v2.csv" --warmup 3 --iters 20 --check-rows "${CHECK_ROWS:-2}" ${ARGS:-} >"$OUT/suite.log" 2>&1; echo "exit $?"
  echo "== torch sdpa at $((SECONDS - t0)) s"
  PYTHONUNBUFFERED=1 timeout "${SDPA_TIMEOUT:-200}" python3 -W ignore cuda/sdpa_peer.py --jobs "$TMP/st.csv" --out "$OUT/sdpa_v2.csv" \
    --backends flash,cudnn --warmup 3 --iters 20 >"$OUT/sdpa.log" 2>&1; echo "exit $?"
  for f in suite_stream_k_v2 sdpa_v2; do
    echo "$f: $(($(wc -l <"$OUT/$f.csv") - 1)) rows, status: $(tail -n +2 "$OUT/$f.csv" | grep -o ',\(ok\|wrong\|error\),' | sort | uniq -c | tr '\n' ' ')"
  done
fi
echo "done at $((SECONDS - t0)) s"
