#!/usr/bin/env bash
# A sweep killed with SIGKILL after a seeded number of rows, then resumed, gives exactly the rows of
# an uninterrupted run (up to order); so do 4 shards merged, and (when mpirun exists) 2 MPI ranks.
set -euo pipefail
einsim=$1
sweep=$2
mode=${3:-resume}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sorted() { tail -n +2 "$1" | sort; }

"$einsim" sweep "$sweep" -o "$work/full.csv" -j 2 -q
rows=$(($(wc -l < "$work/full.csv") - 1))
[ "$rows" -gt 100 ] || { echo "FAIL: expected more than 100 rows, got $rows"; exit 1; }

case "$mode" in
resume)
  for seed in 17 101 233; do
    kill_after=$((seed % (rows - 10) + 5))
    rm -f "$work/part.csv"*
    "$einsim" sweep "$sweep" -o "$work/part.csv" -j 1 -q &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      have=$(( $( (wc -l < "$work/part.csv") 2>/dev/null || echo 0) ))
      if [ "$have" -gt "$kill_after" ]; then kill -9 "$pid" 2>/dev/null || true; break; fi
    done
    wait "$pid" 2>/dev/null || true
    partial=$(($(wc -l < "$work/part.csv") - 1))
    # The sidecar was written as the run started: a killed run still names its sweep for --resume.
    grep -q '"running": true' "$work/part.csv.json" || { echo "FAIL: no sidecar from the start of the killed run"; exit 1; }
    grep -q '"sweep_fnv1a64"' "$work/part.csv.json" || { echo "FAIL: the killed run's sidecar has no sweep hash"; exit 1; }
    "$einsim" sweep "$sweep" -o "$work/part.csv" -j 2 -q --resume
    grep -q '"running": false' "$work/part.csv.json" || { echo "FAIL: the finished run's sidecar still says running"; exit 1; }
    if ! diff <(sorted "$work/full.csv") <(sorted "$work/part.csv") >/dev/null; then
      echo "FAIL: resumed sweep differs (seed $seed, killed after $partial rows)"; exit 1
    fi
    echo "ok: killed after $partial of $rows rows (seed $seed), resumed to the same $rows rows"
  done
  if "$einsim" sweep "$sweep" -o "$work/full.csv" -q 2>"$work/err"; then echo "FAIL: overwrote an existing output"; exit 1; fi
  grep -q "output exists" "$work/err" || { echo "FAIL: no clear message for an existing output"; cat "$work/err"; exit 1; }
  ;;
shards)
  for i in 0 1 2 3; do "$einsim" sweep "$sweep" -o "$work/shard$i.csv" --shard "$i/4" -j 1 -q; done
  "$einsim" merge --sweep "$sweep" "$work"/shard{0,1,2,3}.csv -o "$work/merged.csv"
  diff <(sorted "$work/full.csv") <(sorted "$work/merged.csv") >/dev/null || { echo "FAIL: merged shards differ"; exit 1; }
  if "$einsim" merge --sweep "$sweep" "$work"/shard{0,1,2}.csv -o "$work/bad.csv" 2>"$work/err"; then echo "FAIL: merge accepted a missing shard"; exit 1; fi
  grep -q "missing point" "$work/err" || { echo "FAIL: no missing-point message"; exit 1; }
  [ ! -e "$work/bad.csv" ] || { echo "FAIL: merge wrote a partial output"; exit 1; }
  if "$einsim" merge --sweep "$sweep" "$work"/shard{0,1,2,3,3}.csv -o "$work/bad.csv" 2>"$work/err"; then echo "FAIL: merge accepted duplicates"; exit 1; fi
  grep -q "duplicate point" "$work/err" || { echo "FAIL: no duplicate message"; exit 1; }
  echo "ok: 4 shards merged into the same $rows rows; missing and duplicate shards rejected"
  ;;
mpi)
  if ! command -v mpirun >/dev/null; then echo "SKIPPED: mpirun not installed"; exit 0; fi
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
  mpirun -n 2 "$einsim" sweep --mpi "$sweep" -o "$work/mpi.csv" -q
  diff <(sorted "$work/full.csv") <(sorted "$work/mpi.csv") >/dev/null || { echo "FAIL: MPI sweep differs"; exit 1; }
  echo "ok: mpirun -n 2 gave the same $rows rows"
  ;;
esac
