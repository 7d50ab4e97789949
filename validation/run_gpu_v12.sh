#!/usr/bin/env bash
# Not run yet (written when the device time of 2026-12-01 ran out): does the release hand-off
# without its runtime switch (validation/h200-2026-12-01c/handoff_release_only.patch: registers of
# the E = 64 stream-K kernels back from 242/236 to 218/224) win back the 5% that v6's 64-key tiles
# lost at E = 64, M >= 64K? Builds einsim-gpu from cuda/ as it is (switch) and from a copy with the
# patch (release_only), then runs, interleaved twice, the E = 64 long jobs under the v6 and v4
# mappings and the v4 jobs at M <= 16K; then PyTorch SDPA on the long jobs. On the lent H200 (device
# tool), from the repository root; results in $OUT.
set -uo pipefail
source "$(dirname "$0")/gpu_build.sh"  # OUT, BUILD (switch), GPU, t0; logs to $OUT/log.txt
root=$PWD
rm -rf /tmp/ro && mkdir -p /tmp/ro && cp -r cuda /tmp/ro/
( cd /tmp/ro && { git apply "$root/validation/h200-2026-12-01c/handoff_release_only.patch" 2>/dev/null \
    || patch -p1 -s <"$root/validation/h200-2026-12-01c/handoff_release_only.patch"; } ) || { echo "patch does not apply"; exit 1; }
if ! { cmake -S /tmp/ro/cuda -B build-ro -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build build-ro -j "$(nproc)"; } >build-ro.log 2>&1; then
  tail -40 build-ro.log; exit 1
fi
echo "release_only built at $((SECONDS - t0)) s"
pick() { { grep -v '^#' "$1" | head -1; grep "$2" "$1"; } >"$3"; }
pick validation/jobs_stream_k_v6.csv '_e64_m\(64\|128\|256\|512\)k_st,' /tmp/long_v6.csv
pick validation/jobs_stream_k_v4.csv '_e64_m\(64\|128\|256\|512\)k_st,' /tmp/long_v4.csv
pick validation/jobs_stream_k_v4_short.csv '_st,' /tmp/short_v4.csv
for pass in a b; do
  for build in switch release_only; do
    bin="$GPU"; [ $build = release_only ] && bin=build-ro/einsim-gpu
    for set in long_v6 long_v4 short_v4; do
      echo "== $build $set $pass at $((SECONDS - t0)) s"
      timeout 100 "$bin" run --jobs /tmp/$set.csv --out "$OUT/${build}_${set}_$pass.csv" --warmup 3 --iters 20 --check-rows 2 \
        --kv-stages 4 >/tmp/run.log 2>&1
      echo "exit $?: $(tail -1 /tmp/run.log)"
    done
  done
done
echo "== torch sdpa at $((SECONDS - t0)) s"
PYTHONUNBUFFERED=1 timeout 100 python3 -W ignore cuda/sdpa_peer.py --jobs /tmp/long_v4.csv --out "$OUT/sdpa_long.csv" --backends flash,cudnn \
  --warmup 3 --iters 20 >/tmp/sdpa.log 2>&1; echo "exit $?"
# At most eight files come back from a device call: the runs go back in one archive.
( cd "$OUT" && tar czf runs.tar.gz switch_*.csv release_only_*.csv && rm -f switch_*.csv release_only_*.csv )
echo "done at $((SECONDS - t0)) s"
