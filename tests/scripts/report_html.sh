#!/usr/bin/env bash
# `ptebench report` rendered by headless Chromium: 20 nights of quick runs (the 4 noisy runs
# of tests/data in turn, with zap_range's plain variant made 30% slower from night 14 on) ->
# one HTML page, from a CSV history and from the same history in SQLite (identical pages);
# Chromium loads it without console errors (checked to be caught with a page that logs one),
# the DOM holds every inline SVG with its paths, and a PNG screenshot is written
# (kept as $PTEBENCH_REPORT_PNG when that is set, for people to look at).
# Exit 77 (ctest SKIP) with the reason when Chromium is absent.
# Usage: report_html.sh PTEBENCH DATA_DIR
set -euo pipefail
bin=$1 data=$2
run_ptebench() { ${PTEBENCH_EMULATOR_CMD:-} "$bin" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "SKIP report_html: no chromium (apt-get install chromium)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

zcat "$data/quick-run-1.csv.gz" | awk 'NR == 1' > "$tmp/h.csv"
for i in $(seq 1 20); do
  day=$(printf %02d "$i")
  zcat "$data/quick-run-$(((i - 1) % 4 + 1)).csv.gz" | awk -F, -v OFS=, -v d="$day" -v i="$i" '
    NR > 1 { $2 = "202611" d "T020000Z-ci-" i; $3 = "2026-11-" d "T02:00:00Z"; $4 = "ci"
             if (i >= 14 && $12 == "zap_range" && $14 == "plain" && $18 == "ns_per_pte") $19 = $19 * 1.3
             print }' >> "$tmp/h.csv"
done
run_ptebench report --history "$tmp/h.csv" --out "$tmp/report.html" 2> "$tmp/log"
cat "$tmp/log"
run_ptebench history import "$tmp/h.csv" --history "$tmp/h.db"
run_ptebench report --history "$tmp/h.db" --out "$tmp/report-db.html"
cmp "$tmp/report.html" "$tmp/report-db.html" || fail "the page from SQLite differs from the CSV's"
grep -q 'zap_range/x86_64/\*/dense/4096/kernel</a></td><td>plain: 1 change point' "$tmp/report.html" ||
  fail "the injected step of zap_range plain is not flagged"
# The log line counts the flagged groups of the page written (not a page rendered again).
flagged=$(grep -o 'class="group flagged"' "$tmp/report.html" | wc -l)
[ "$flagged" -ge 1 ] && grep -q "($flagged case groups flagged)" "$tmp/log" ||
  fail "the log line does not count the page's $flagged flagged groups: $(cat "$tmp/log")"
! grep -Eq '<script|https?://[^"]*\.(js|css)' "$tmp/report.html" || fail "the page is not self-contained"

chrome() { timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --no-first-run --user-data-dir="$tmp/profile" "$@"; }
# Console errors: Chromium logs each console message as "CONSOLE(line)" at --v=0. The control
# page proves the check sees one.
echo '<html><body><script>console.error("boom")</script></body></html>' > "$tmp/control.html"
chrome --enable-logging=stderr --v=0 --dump-dom "file://$tmp/control.html" > /dev/null 2> "$tmp/control.err" || true
grep -q 'CONSOLE' "$tmp/control.err" || fail "the console check does not see a console error"
chrome --enable-logging=stderr --v=0 --window-size=1300,2400 --screenshot="$tmp/report.png" \
  "file://$tmp/report.html" > /dev/null 2> "$tmp/shot.err" || fail "chromium failed: $(tail -3 "$tmp/shot.err")"
if grep -E 'CONSOLE|Uncaught' "$tmp/shot.err"; then fail "console messages while loading the page"; fi
chrome --enable-logging=stderr --v=0 --dump-dom "file://$tmp/report.html" > "$tmp/dom.html" 2> "$tmp/dom.err"
if grep -E 'CONSOLE|Uncaught' "$tmp/dom.err"; then fail "console messages while loading the page"; fi
svgs_src=$(grep -o '<svg' "$tmp/report.html" | wc -l)
svgs=$(grep -o '<svg' "$tmp/dom.html" | wc -l)
paths=$(grep -o '<path' "$tmp/dom.html" | wc -l)
groups=$(grep -o '<section' "$tmp/dom.html" | wc -l)
[ "$groups" -gt 0 ] && [ "$svgs" = "$svgs_src" ] && [ "$svgs" = $((3 * groups)) ] ||
  fail "DOM: $svgs svg for $groups case groups ($svgs_src in the source)"
[ "$paths" -gt $((3 * groups)) ] || fail "DOM: only $paths paths"
[ "$(head -c 8 "$tmp/report.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
  fail "no PNG written"
[ "$(stat -c %s "$tmp/report.png")" -gt 20000 ] || fail "the screenshot is nearly empty"
[ -z "${PTEBENCH_REPORT_PNG:-}" ] || cp "$tmp/report.png" "$PTEBENCH_REPORT_PNG"
echo "rendered: $groups case groups, $svgs svg, $paths paths, no console message, PNG $(stat -c %s "$tmp/report.png") bytes"
