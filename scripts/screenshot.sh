#!/usr/bin/env bash
# Screenshot an HTML file (e.g. a run's report.html) with headless Chromium.
#   scripts/screenshot.sh FILE.html OUT.png [WIDTHxHEIGHT]   (default 1200x3000)
# Needs Debian's chromium: apt-get install -y chromium
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: $0 FILE.html OUT.png [WIDTHxHEIGHT]" >&2
  exit 2
fi
html=$(realpath "$1")
out=$(realpath -m "$2")
size=${3:-1200x3000}
[[ -f "$html" ]] || { echo "$0: no such file: $1" >&2; exit 2; }
browser=${CHROMIUM:-/usr/bin/chromium}
[[ -x "$browser" ]] || { echo "$0: $browser not found; install it with: apt-get install -y chromium" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --screenshot="$out" --window-size="${size/x/,}" \
  "file://$html" >/dev/null 2>&1
[[ -s "$out" ]] || { echo "$0: chromium wrote no screenshot" >&2; exit 1; }
echo "$out"
