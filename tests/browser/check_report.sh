#!/usr/bin/env bash
# Opens an einsim HTML report in headless Chromium and checks that it works offline as a reader
# would see it: no console messages (a script-less page has none unless something failed), nothing
# fetched, and every <svg> plot laid out with a non-zero size and drawn data. Saves a screenshot.
#
# Usage: tests/browser/check_report.sh REPORT.html SCREENSHOT.png
# Exit 0 when the checks pass, or when Chromium is not installed ("SKIPPED: chromium not installed");
# 1 when a check fails. CHROMIUM=/path/to/chromium picks another binary.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 REPORT.html SCREENSHOT.png" >&2
  exit 2
fi
report=$1
screenshot=$2

chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
  for candidate in chromium chromium-browser; do
    if command -v "$candidate" >/dev/null 2>&1; then
      chromium=$(command -v "$candidate")
      break
    fi
  done
fi
if [ -z "$chromium" ] || [ ! -x "$chromium" ]; then
  echo "SKIPPED: chromium not installed"
  exit 0
fi
if [ ! -s "$report" ]; then
  echo "FAIL: no report at $report"
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
report_abs=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
mkdir -p "$(dirname "$screenshot")"
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# One fresh profile per run; nothing that reaches out to the network.
run_chromium() {
  local profile
  profile=$(mktemp -d "$work/profile.XXXXXX")
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
    --disable-default-apps --hide-scrollbars --user-data-dir="$profile" --window-size=1400,2400 "$@"
}

# The page has no scripts of its own.
if grep -qi '<script' "$report"; then
  fail "the report contains a <script> element"
fi

# 1. The report as it is: console log and screenshot.
rm -f "$screenshot"
if ! run_chromium --enable-logging=stderr --v=0 --screenshot="$screenshot" "file://$report_abs" \
    >"$work/screenshot.out" 2>"$work/console.log"; then
  fail "chromium did not finish taking the screenshot"
  tail -n 20 "$work/console.log"
fi
if grep -E ':CONSOLE[:(]' "$work/console.log" >"$work/console_messages.txt"; then
  fail "console messages while loading the report:"
  sed 's/^/  /' "$work/console_messages.txt"
fi
if [ ! -s "$screenshot" ]; then
  fail "no screenshot written to $screenshot"
fi

# 2. A copy with a probe appended that measures every <svg> once laid out and lists every resource
#    the page fetched, writing both into the DOM, which --dump-dom prints.
probe_page="$work/$(basename "$report")"
probe='<script>(function(){var lines=[];var svgs=document.querySelectorAll("svg");
svgs.forEach(function(s){var r=s.getBoundingClientRect();var g=s.querySelector("g.data");
var n=g?g.querySelectorAll("path,line,circle,rect,polygon,polyline").length:0;var b=g?g.getBBox():{width:0,height:0};
lines.push("SVG "+(s.id||"?")+" "+Math.round(r.width)+" "+Math.round(r.height)+" "+n+" "+Math.round(b.width)+" "+Math.round(b.height));});
var res=performance.getEntriesByType("resource").map(function(e){return "RESOURCE "+e.name;});
var pre=document.createElement("pre");pre.id="einsim-probe";
pre.textContent="PROBE "+svgs.length+"\n"+lines.concat(res).join("\n")+"\nPROBE-END";document.body.appendChild(pre);})();</script>'
PROBE=$probe awk '{ if (!done && sub(/<\/body>/, ENVIRON["PROBE"] "</body>")) done = 1; print }' "$report" >"$probe_page"
if ! run_chromium --virtual-time-budget=5000 --dump-dom "file://$probe_page" >"$work/dom.html" 2>"$work/probe.log"; then
  fail "chromium did not finish loading the report"
  tail -n 20 "$work/probe.log"
fi
if ! grep -q '^PROBE-END' "$work/dom.html"; then
  fail "the page could not be measured (the probe did not run)"
else
  count=$({ grep -o 'PROBE [0-9][0-9]*' "$work/dom.html" || true; } | head -n1 | awk '{print $2}')
  if [ "${count:-0}" -eq 0 ]; then
    fail "the report has no <svg> plot"
  fi
  # SVG id width height drawn_elements data_width data_height
  while read -r _ id width height drawn data_w data_h; do
    if [ "$width" -le 0 ] || [ "$height" -le 0 ]; then
      fail "plot $id is laid out with size ${width}x${height}"
    elif [ "$drawn" -le 0 ] || [ "$data_w" -le 0 ] || [ "$data_h" -le 0 ]; then
      fail "plot $id draws no data ($drawn elements, data area ${data_w}x${data_h})"
    fi
  done < <(grep '^SVG ' "$work/dom.html" || true)
  if grep -q '^RESOURCE ' "$work/dom.html"; then
    fail "the report fetched resources:"
    grep '^RESOURCE ' "$work/dom.html" | sed 's/^RESOURCE /  /'
  fi
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed for $report"
  exit 1
fi
echo "OK: $report: ${count} plots rendered non-empty, no console messages, nothing fetched; screenshot $screenshot"
