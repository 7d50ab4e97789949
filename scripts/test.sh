#!/usr/bin/env bash
# Builds einsim and runs the whole test suite: a normal build, then an AddressSanitizer+UBSan build.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# chromium: the browser check opens a generated report (screenshot kept in build/artifacts/).
EINSIM_EXTRA_PACKAGES="chromium" "$here/scripts/setup.sh" "$here/build"
(cd "$here/build" && ctest --output-on-failure -j "$(nproc)")
# -O1 -g1, as the sanitizers' documentation recommends: half the build time of -O2 -g (CLI11 2.1's
# header alone costs 33 s a file at -O2 -g under ASan, 15 s at -O1 -g1), line numbers kept in reports.
"$here/scripts/setup.sh" "$here/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DEINSIM_SANITIZE=ON -DEINSIM_CUDA=OFF
(cd "$here/build-asan" && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j "$(nproc)" -LE "slow|mpi|browser")
