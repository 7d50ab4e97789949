#!/usr/bin/env bash
# DeltaLLM's trade-offs from an existing build: the threshold x window sweep of sparsity and error on
# synthetic AR(1) queries (rho = 0.95), with and without the 1/sqrt(E) softmax scale folded into K,
# and the edge model's gain against the skip-block size on edge-npu and edge-cpu for BitNet-b1.58-2B
# and Llama-3.2-1B (and 32 heads without GQA on edge-cpu), as CSVs and one report: deltallm.html (+ deltallm.md).
# Usage: scripts/deltallm.sh [OUT_DIR]   (default ./deltallm; EINSIM=path overrides build/einsim)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
einsim=${EINSIM:-$here/build/einsim}
out=${1:-$PWD/deltallm}
mkdir -p "$out"
thetas=0,0.05,0.1,0.15,0.19,0.25,0.3,0.4
for scale in 1 0.125; do
  "$einsim" sparsity --input "synth:rho=0.95,scale=$scale" --shape E=64,F=64,M=256 --decode-steps 32 \
    --sweep-theta "$thetas" --sweep-window 4,16,256 --format csv > "$out/sparsity_scale_$scale.csv"
done
for arch in edge-npu edge-cpu; do
  for model in bitnet-b1.58-2b llama-3.2-1b; do
    "$einsim" simulate --arch "$arch" --cascade deltallm --model "$model" --seq 1024 --shape W=16,theta=0.19 \
      --sparsity-input synth:rho=0.95 --sweep-block 1,2,4,8,16 --format csv > "$out/granularity_${arch}_$model.csv"
  done
done
# 32 heads with a K/V head each (no grouped-query sharing): what a decode step gains without GQA.
"$einsim" simulate --arch edge-cpu --cascade deltallm --shape H=32,HKV=32,E=64,F=64,M=1024,W=16,theta=0.19 \
  --sparsity-input synth:rho=0.95 --sweep-block 1,2,4,8,16 --format csv > "$out/granularity_edge-cpu_mha32.csv"
"$einsim" report "$out"/sparsity_scale_*.csv "$out"/granularity_*.csv -o "$out/deltallm.html" \
  --title "DeltaLLM: sparsity, error and skip granularity (synthetic AR(1) queries, edge presets)"
