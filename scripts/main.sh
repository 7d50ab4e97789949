#!/usr/bin/env bash
# The main job on built-in defaults: build einsim, run the FuseMax-vs-FLAT sweep
# (workloads/sweeps/fusemax_vs_flat.toml: BERT, TrXL, T5, XLM at 1K-1M tokens on unfused, FLAT and
# FuseMax, attention and end to end) and write report.html (+ report.md) in the current folder.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup.sh" "$here/build"
einsim="$here/build/einsim"
out=${EINSIM_OUT:-$PWD}
mkdir -p "$out/results"
"$einsim" sweep "$here/workloads/sweeps/fusemax_vs_flat.toml" -o "$out/results/fusemax_vs_flat.csv" --force
"$einsim" report "$out/results/fusemax_vs_flat.csv" -o "$out/report.html" --baseline flat --title "FuseMax vs FLAT (einsim analytical model)"
"$einsim" compare fusemax-vs-flat --seq 1024 4096 16384 65536 262144 1048576 | tail -n 4
echo "einsim: wrote $out/report.html, $out/report.md and $out/results/fusemax_vs_flat.csv"
