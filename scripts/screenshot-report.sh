#!/usr/bin/env bash
# Renders a report.html with headless Chromium (Debian's `chromium` package) and saves a PNG screenshot, to
# check by eye that every image and title shows. Not needed by the tests or CI.
# Usage: scripts/screenshot-report.sh out/report.html [out/report-screenshot.png]
set -euo pipefail
report=${1:?usage: $0 REPORT.html [SCREENSHOT.png]}
screenshot=${2:-${report%.html}-screenshot.png}
command -v chromium >/dev/null || { echo "needs chromium: apt-get install chromium" >&2; exit 1; }
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1500 \
    --screenshot="$screenshot" "file://$(realpath "$report")" 2>/dev/null
echo "screenshot written to $screenshot"
