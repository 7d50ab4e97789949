#!/usr/bin/env bash
# CTest's GPU test (label gpu): einsim-gpu on cuda/jobs/smoke.csv, where every job must come out
# `ok` except the bad_* jobs, which must be refused with `error`; where the jobs have a cluster
# column, an ok job with cluster C > 0 must say it ran clusters of C, one with 0 that it ran none
# (the message is the row's last, quoted field). Skips (exit 77) with a message
# when there is no CUDA device. Usage: gpu_smoke_test.sh EINSIM_GPU JOBS.csv
set -uo pipefail
gpu=$1 jobs=$2
"$gpu" devices || exit $?
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$gpu" run --jobs "$jobs" --out "$out" --warmup 1 --iters 3 --check-rows 4 >/dev/null
rc=$?
if [ $rc -gt 1 ]; then echo "einsim-gpu run failed (exit $rc)"; exit 1; fi
awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) col[$i] = i; next }
  { id = $col["job_id"]; st = $col["status"]; want = (id ~ /^bad_/) ? "error" : "ok"
    if (st != want) { printf "%s: %s, expected %s\n", id, st, want; bad = 1 }
    if (st == "ok" && ("cluster" in col)) {
      c = $col["cluster"]; said = index($0, "clusters of " c " CTAs a unit") > 0; any = index($0, "clusters of ") > 0
      if (c > 0 && !said) { printf "%s: cluster %s, but not run as clusters of %s\n", id, c, c; bad = 1 }
      if (c == 0 && any) { printf "%s: cluster 0, but run clustered\n", id; bad = 1 }
    }
    n++ }
  END { if (!n) { print "no rows"; exit 1 } ; printf "%d jobs checked\n", n; exit bad }' "$out"
