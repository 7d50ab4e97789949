#!/usr/bin/env bash
# The main job on built-in defaults: builds einsim, then checks every cascade of the attention
# library (passes, op counts) and evaluates it against plain softmax attention.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup.sh" "$here/build"
einsim="$here/build/einsim"
for c in attention_3pass attention_2pass attention_1pass fusemax flashdecoding leanattention deltallm; do
  "$einsim" check "$c" --shape M=1024,P=1024,E=64,F=64 | grep -E '^(cascade|passes|  pass|totals)'
  "$einsim" eval "$c" --shape M=37,P=5,E=8,F=8 --format csv | tail -n 1
done
