#!/usr/bin/env bash
# Installs einsim's Debian build dependencies (when missing) and builds into a build folder.
# Usage: scripts/setup.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
shift || true

packages=(g++ cmake ninja-build libsystemc-dev libeigen3-dev libboost-graph-dev libtomlplusplus-dev
          doctest-dev libfccp-dev libcli11-dev libfmt-dev nlohmann-json3-dev libopenmpi-dev openmpi-bin)
# Extra packages a caller needs besides the build (scripts/test.sh: chromium for the report check).
read -r -a extra <<< "${EINSIM_EXTRA_PACKAGES:-}"
packages+=("${extra[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "einsim: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S "$here" -B "$build" -G Ninja "$@" >/dev/null
# One build at a time on this machine: builds take a lock so that parallel callers queue.
flock "${TMPDIR:-/tmp}/einsim-build.lock" cmake --build "$build" -j "$jobs"
