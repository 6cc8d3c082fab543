#!/usr/bin/env bash
# End-to-end tests of `ptebench history` (bench/cmd_history.cc) on the shared noisy runs
# (tests/data/noisy-vm-2026-12-01, real results of one build on a busy VM):
#   roundtrip   each run imported, then exported alone: the CSV and its context sidecar come back
#               byte for byte; all runs exported together: the files' rows in import order;
#               a CSV history of several runs converted by one import, exported back identical
#   nightly_kill  `nightly --history h.db` killed with SIGKILL at a random moment, 20 trials, then
#               20 trials of two nightly jobs at once, both killed: every run in the database
#               has all its rows (as many as an unkilled run), the run stored before is unchanged
#   refuse      a foreign or damaged database, a malformed CSV, a run imported twice: exit 2,
#               one line on stderr, the database byte for byte as it was
#   noise       `history noise` over the four quick runs as nights: one row per case, 4 nights
#               each, steadiest first, the same from a CSV history and from a database; too few
#               nights, a missing file, an unknown flag, a damaged database: exit 2, one line
#   power       `history power` over 13 nights made of the four quick runs in turn: a placement
#               line for every night with 10 before it and 1 after, a 30% step in the steadiest
#               case confirmed by its second night in one (the calm-nights rule holds the other)
#               and in both with --noisy-null 0, a 1% step in none, --by-night 3 one placement
#               of three stepped nights, confirmed by the third; --case all over 36 cases:
#               one row each, steadiest first, the rows of the steadiest and the noisiest as the
#               case alone gives them; no --case, --by-night 0, an
#               unknown case, a zero step, too few nights: exit 2, one line
# Usage: history_cli.sh PTEBENCH DATA_DIR TEST; $PTEBENCH_EMULATOR_CMD (e.g. qemu-aarch64 -L ...)
# runs a cross-built ptebench.
set -euo pipefail
bin=$1 data=$2 test=$3
run_ptebench() { ${PTEBENCH_EMULATOR_CMD:-} "$bin" "$@"; }
ptebench=run_ptebench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

runs=(quick-run-1 quick-run-2 quick-run-3 quick-run-4 ab-same-build-a ab-same-build-b)
for r in "${runs[@]}"; do
  zcat "$data/$r.csv.gz" > "$tmp/$r.csv"
  [ -f "$data/$r.context.csv" ] && cp "$data/$r.context.csv" "$tmp/$r.context.csv"
done
run_id() { sed -n '2p' "$1" | cut -d, -f2; }

# expect_refused DESCRIPTION COMMAND...: exit 2, one line on stderr.
expect_refused() {
  local what=$1 rc=0
  shift
  "$@" > "$tmp/out" 2> "$tmp/err" || rc=$?
  [ "$rc" = 2 ] || fail "$what: exit $rc, expected 2 ($(cat "$tmp/err"))"
  [ "$(wc -l < "$tmp/err")" = 1 ] || fail "$what: expected one line on stderr, got: $(cat "$tmp/err")"
  echo "refused as expected ($what): $(cat "$tmp/err")"
}

case "$test" in
roundtrip)
  db=$tmp/h.db
  for r in "${runs[@]}"; do
    "$ptebench" history import "$tmp/$r.csv" --history "$db"
  done
  for r in "${runs[@]}"; do
    id=$(run_id "$tmp/$r.csv")
    "$ptebench" history export --history "$db" --run "$id" --out "$tmp/out-$r.csv"
    cmp "$tmp/$r.csv" "$tmp/out-$r.csv" || fail "$r: export differs from the imported file"
    if [ -f "$tmp/$r.context.csv" ]; then
      cmp "$tmp/$r.context.csv" "$tmp/out-$r.context.csv" || fail "$r: context sidecar differs"
    fi
    echo "$r: $(($(wc -l < "$tmp/$r.csv") - 1)) rows, byte-identical after import and export"
  done
  # Everything at once: the header, then each file's rows in import order.
  "$ptebench" history export --history "$db" --out "$tmp/all.csv"
  { head -n 1 "$tmp/quick-run-1.csv"; for r in "${runs[@]}"; do tail -n +2 "$tmp/$r.csv"; done; } \
    > "$tmp/all-expected.csv"
  cmp "$tmp/all-expected.csv" "$tmp/all.csv" || fail "export of every run differs"
  # A CSV history (several runs in one file) converted by one command, and back.
  "$ptebench" history import "$tmp/all.csv" --history "$tmp/converted.db"
  "$ptebench" history export --history "$tmp/converted.db" --out "$tmp/all-again.csv"
  cmp "$tmp/all.csv" "$tmp/all-again.csv" || fail "converted CSV history differs"
  [ "$("$ptebench" history list --history "$tmp/converted.db" | wc -l)" = 7 ] ||
    fail "list does not show 6 runs"
  echo "all $(($(wc -l < "$tmp/all.csv") - 1)) rows of 6 runs: byte-identical, converted and back"
  # The summary: sqlite3 imports it as it is; one row per run x case x metric, n adding up.
  "$ptebench" history export --history "$db" --summary "$tmp/summary.csv"
  if command -v sqlite3 > /dev/null; then
    sqlite3 "$tmp/s.db" ".import --csv $tmp/summary.csv summary"
    got=$(sqlite3 "$tmp/s.db" "SELECT count(*) || ' ' || sum(n) || ' ' || count(DISTINCT run_id) FROM summary")
    want=$(sqlite3 "$tmp/converted.db" "SELECT count(*) || ' ' || sum(n) || ' ' || count(DISTINCT run) FROM (SELECT run, count(*) AS n FROM samples GROUP BY run, workload, pte_format, variant, layout, ptes, codegen, metric)")
    [ "$got" = "$want" ] || fail "summary: rows, sum of n, runs = $got, expected $want"
    bad=$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM summary WHERE NOT (CAST(ci_low AS REAL) <= CAST(median AS REAL) AND CAST(median AS REAL) <= CAST(ci_high AS REAL))")
    [ "$bad" = 0 ] || fail "summary: $bad rows with the median outside its interval"
    echo "summary: sqlite3 .import reads it as it is (rows, sum of n, runs: $got)"
  else
    echo "SKIP summary import check: no sqlite3"
  fi
  ;;
refuse)
  db=$tmp/h.db
  "$ptebench" history import "$tmp/quick-run-1.csv" --history "$db"
  sum=$(sha256sum < "$db")
  expect_refused "run already stored" "$ptebench" history import "$tmp/quick-run-1.csv" --history "$db"
  # A malformed CSV: refused before the database is touched.
  { cat "$tmp/quick-run-2.csv"; echo "ptebench-results/1,x"; } > "$tmp/bad.csv"
  expect_refused "malformed CSV" "$ptebench" history import "$tmp/bad.csv" --history "$db"
  grep -q "bad.csv:$(wc -l < "$tmp/bad.csv"):" "$tmp/err" || fail "the message does not name bad.csv:LINE"
  # Two files, the second already stored: neither is added.
  expect_refused "second file already stored" \
    "$ptebench" history import "$tmp/quick-run-2.csv" "$tmp/quick-run-1.csv" --history "$db"
  [ "$(sha256sum < "$db")" = "$sum" ] || fail "the database changed"
  [ "$("$ptebench" history list --history "$db" | wc -l)" = 2 ] || fail "quick-run-2 was added"
  expect_refused "no such run" "$ptebench" history export --history "$db" --run nope --out "$tmp/x.csv"
  [ ! -e "$tmp/x.csv" ] || fail "export of a missing run wrote a file"
  # Foreign and damaged databases.
  cp "$tmp/quick-run-3.csv" "$tmp/csv.db"
  sum=$(sha256sum < "$tmp/csv.db")
  expect_refused "a CSV named .db" "$ptebench" history import "$tmp/quick-run-2.csv" --history "$tmp/csv.db"
  [ "$(sha256sum < "$tmp/csv.db")" = "$sum" ] || fail "the CSV named .db changed"
  cp "$db" "$tmp/damaged.db"
  size=$(stat -c %s "$tmp/damaged.db")
  # Garbage over the second half of the file.
  head -c $((size / 2)) /dev/urandom | dd of="$tmp/damaged.db" bs=1 seek=$((size / 2)) conv=notrunc status=none
  sum=$(sha256sum < "$tmp/damaged.db")
  expect_refused "damaged" "$ptebench" history import "$tmp/quick-run-2.csv" --history "$tmp/damaged.db"
  [ "$(sha256sum < "$tmp/damaged.db")" = "$sum" ] || fail "the damaged database changed"
  expect_refused "damaged, export" "$ptebench" history export --history "$tmp/damaged.db" --out "$tmp/y.csv"
  [ ! -e "$tmp/y.csv" ] || fail "export of a damaged database wrote a file"
  expect_refused "not a database location" "$ptebench" history import "$tmp/quick-run-2.csv" --history "$tmp/h.csv"
  ;;
nightly_kill)
  filter='none_scan/*/*/dense/512/*'
  nightly() { # DB OUT
    exec ${PTEBENCH_EMULATOR_CMD:-} "$bin" nightly --baseline "$tmp/none.csv" --history "$1" --filter "$filter" \
      --repetitions 1 --out "$2"
  }
  # Calibration: an unkilled run gives the row count of a whole run and the kill window.
  t0=$(date +%s%N)
  (nightly "$tmp/base.db" "$tmp/base.csv") > /dev/null 2>&1
  window_us=$((($(date +%s%N) - t0) / 1000))
  "$ptebench" history list --history "$tmp/base.db" > "$tmp/base.list"
  whole=$(tail -n 1 "$tmp/base.list" | awk -F, '{print $NF}')
  [ "$whole" -gt 0 ] || fail "calibration run stored no rows"
  "$ptebench" history export --history "$tmp/base.db" --out "$tmp/base-export.csv"
  # check DB: the calibration run unchanged, every other run whole.
  check() {
    "$ptebench" history list --history "$1" > "$tmp/list" || fail "$1 no longer opens"
    tail -n +2 "$tmp/list" | while IFS=, read -r id _ _ _ _ _ _ samples; do
      [ "$samples" = "$whole" ] || fail "$1: run $id has $samples rows, a whole run $whole"
      "$ptebench" history export --history "$1" --run "$id" --out "$tmp/one.csv" 2> /dev/null
      [ "$(($(wc -l < "$tmp/one.csv") - 1))" = "$whole" ] || fail "$1: run $id exports partly"
    done
    "$ptebench" history export --history "$1" --run "$(sed -n 2p "$tmp/base-export.csv" | cut -d, -f2)" \
      --out "$tmp/first.csv" 2> /dev/null
    cmp "$tmp/first.csv" "$tmp/base-export.csv" || fail "$1: the run stored before changed"
    echo $(($(wc -l < "$tmp/list") - 2))
  }
  # A random moment in [W/2, 3W/2] for a job that takes W unkilled: most kills fall in the
  # run, some around the write at its end, some after it.
  random_sleep() { sleep "$(awk -v r=$((RANDOM * 32768 + RANDOM)) -v w="$window_us" \
    'BEGIN { printf "%.6f", (w / 2 + r % (w + 1)) / 1e6 }')"; }
  stored=0
  for trial in $(seq 1 20); do
    cp "$tmp/base.db" "$tmp/t.db"
    (nightly "$tmp/t.db" "$tmp/t.csv") > /dev/null 2>&1 &
    pid=$!
    random_sleep
    kill -9 "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    stored=$((stored + $(check "$tmp/t.db")))
  done
  echo "one job: 20 kills, $stored of 20 runs stored whole, none partly"
  stored=0
  for trial in $(seq 1 20); do
    cp "$tmp/base.db" "$tmp/t.db"
    (nightly "$tmp/t.db" "$tmp/a.csv") > /dev/null 2>&1 &
    a=$!
    (nightly "$tmp/t.db" "$tmp/b.csv") > /dev/null 2>&1 &
    b=$!
    random_sleep
    kill -9 "$a" 2> /dev/null || true
    random_sleep
    kill -9 "$b" 2> /dev/null || true
    wait "$a" "$b" 2> /dev/null || true
    stored=$((stored + $(check "$tmp/t.db")))
  done
  echo "two jobs at once: 40 kills, $stored of 40 runs stored whole, none partly"
  ;;
junit)
  # compare --junit: one testcase per row of compare's csv, a failure per regression, a skip
  # per inconclusive, insufficient or missing row; well-formed (xmllint, where installed).
  rc=0
  "$ptebench" compare "$tmp/quick-run-1.csv" "$tmp/quick-run-3.csv" --format csv \
    --junit "$tmp/j.xml" > "$tmp/cmp.csv" || rc=$?
  [ "$rc" -le 1 ] || fail "compare exited $rc"
  rows=$(($(wc -l < "$tmp/cmp.csv") - 1))
  regressions=$(tail -n +2 "$tmp/cmp.csv" | grep -c ',regression,' || true)
  undecided=$(tail -n +2 "$tmp/cmp.csv" | grep -Ec ',(inconclusive|insufficient|missing),' || true)
  cases=$(grep -c '<testcase classname="[^d]' "$tmp/j.xml" || true)
  failures=$(grep '<testcase classname="[^d]' "$tmp/j.xml" | grep -c '<failure' || true)
  skips=$(grep '<testcase classname="[^d]' "$tmp/j.xml" | grep -c '<skipped' || true)
  [ "$cases" = "$rows" ] || fail "$cases testcases for $rows rows"
  [ "$failures" = "$regressions" ] || fail "$failures failures for $regressions regressions"
  [ "$skips" = "$undecided" ] || fail "$skips skipped for $undecided undecided rows"
  # Two single runs of one build: no regression (runs are the unit), some rows inconclusive.
  [ "$regressions" = 0 ] || fail "the same-build pair flagged $regressions regressions"
  [ "$undecided" -gt 0 ] || fail "expected inconclusive rows in the noisy same-build pair"
  if command -v xmllint > /dev/null; then xmllint --noout "$tmp/j.xml" || fail "not well-formed"; fi
  echo "compare --junit: $cases testcases, $failures failures, $skips skipped (= compare's csv)"
  expect_refused "junit into a missing directory" "$ptebench" compare "$tmp/quick-run-1.csv" \
    "$tmp/quick-run-3.csv" --junit /nonexistent-dir/j.xml
  ;;
noise)
  # The four quick runs as four nights, a CSV history and a database.
  { head -n 1 "$tmp/quick-run-1.csv"
    for r in quick-run-1 quick-run-2 quick-run-3 quick-run-4; do tail -n +2 "$tmp/$r.csv"; done
  } > "$tmp/four.csv"
  "$ptebench" history noise --history "$tmp/four.csv" > "$tmp/noise.csv"
  [ "$(head -n 1 "$tmp/noise.csv")" = "case,metric,nights,loading,raw_sd_pct,sd_pct,suspect_step_pct" ] ||
    fail "header: $(head -n 1 "$tmp/noise.csv")"
  cases=$(tail -n +2 "$tmp/quick-run-1.csv" | awk -F, '$0 ~ /,ns_per_pte,/' | cut -d, -f9,12-16 | sort -u | wc -l)
  rows=$(($(wc -l < "$tmp/noise.csv") - 1))
  [ "$rows" = "$cases" ] || fail "$rows rows for $cases cases"
  tail -n +2 "$tmp/noise.csv" | awk -F, '
    $3 != 4 { print "FAIL: " $1 ": " $3 " nights, expected 4"; bad = 1 }
    $6 !~ /^[0-9]+\.[0-9][0-9]$/ || $5 !~ /^[0-9]+\.[0-9][0-9]$/ || $7 !~ /^[0-9]+\.[0-9][0-9]$/ {
      print "FAIL: not a percentage: " $0; bad = 1 }
    NR > 1 && $6 + 0 < last { print "FAIL: " $1 " (" $6 ") after a noisier case (" last ")"; bad = 1 }
    { last = $6 + 0 }
    END { exit bad }' >&2 || fail "history noise rows"
  # The runs moved as a whole (-10% to +12%): removing the factors leaves most cases steadier.
  steadier=$(tail -n +2 "$tmp/noise.csv" | awk -F, '$6 + 0 < $5 + 0' | wc -l)
  [ "$steadier" -gt $((rows / 2)) ] || fail "only $steadier of $rows cases steadier with the factors removed"
  for r in quick-run-1 quick-run-2 quick-run-3 quick-run-4; do
    "$ptebench" history import "$tmp/$r.csv" --history "$tmp/four.db"
  done
  "$ptebench" history noise --history "$tmp/four.db" > "$tmp/noise-db.csv"
  cmp "$tmp/noise.csv" "$tmp/noise-db.csv" || fail "history noise differs between the CSV and the database"
  echo "history noise: $rows cases over 4 nights, steadiest $(sed -n 2p "$tmp/noise.csv")," \
    "$steadier steadier than raw; the same from the database"
  { head -n 1 "$tmp/quick-run-1.csv"; tail -n +2 "$tmp/quick-run-1.csv"; tail -n +2 "$tmp/quick-run-2.csv"
  } > "$tmp/two.csv"
  expect_refused "two nights" "$ptebench" history noise --history "$tmp/two.csv"
  grep -q "two.csv: 2 nights of ns_per_pte, at least 3 are needed" "$tmp/err" || fail "message: $(cat "$tmp/err")"
  expect_refused "missing file" "$ptebench" history noise --history "$tmp/absent.csv"
  expect_refused "unknown flag" "$ptebench" history noise --history "$tmp/four.csv" --bogus
  expect_refused "--nights 2" "$ptebench" history noise --history "$tmp/four.csv" --nights 2
  cp "$tmp/four.db" "$tmp/damaged.db"
  size=$(stat -c %s "$tmp/damaged.db")
  head -c $((size / 2)) /dev/urandom | dd of="$tmp/damaged.db" bs=1 seek=$((size / 2)) conv=notrunc status=none
  sum=$(sha256sum < "$tmp/damaged.db")
  expect_refused "damaged database" "$ptebench" history noise --history "$tmp/damaged.db"
  [ "$(sha256sum < "$tmp/damaged.db")" = "$sum" ] || fail "the damaged database changed"
  ;;
power)
  # 13 nights: the four quick runs in turn, each under its own run id and start a day apart.
  { head -n 1 "$tmp/quick-run-1.csv"
    for k in $(seq 0 12); do
      r=quick-run-$((k % 4 + 1))
      tail -n +2 "$tmp/$r.csv" | awk -F, -v OFS=, -v k="$k" \
        '{ $2 = sprintf("night-%02d", k); $3 = sprintf("2026-11-%02dT00:00:00Z", k + 1); print }'
    done
  } > "$tmp/nights.csv"
  steadiest=$("$ptebench" history noise --history "$tmp/nights.csv" | sed -n 2p | cut -d, -f1)
  "$ptebench" history power --history "$tmp/nights.csv" --case "$steadiest" --step 30 > "$tmp/power.txt"
  cat "$tmp/power.txt"
  # Placements from night 11 (10 before it) to night 12 (night 13 its second): 2.
  [ "$(grep -c '^  from night ' "$tmp/power.txt")" = 2 ] || fail "expected 2 placements"
  grep -q '^  from night 11 night-10: night 11 ' "$tmp/power.txt" || fail "first placement"
  # The cycled runs make night 11 (quick-run-3) stand out from its reference: it stayed noisy, so
  # the night after it does not count toward the first placement's change (the calm-nights rule,
  # --noisy-null), which the second placement's replication confirms; without the rule, both.
  grep -q '^  from night 11 .*; night 12 suspect .*(1 of 2 nights after followed a night that stayed noisy)' \
    "$tmp/power.txt" || fail "the calm-nights rule in the first placement"
  tail -n 1 "$tmp/power.txt" | grep -q "^step +30% in $steadiest: confirmed by its night 2 in 1 of 2 placements" ||
    fail "30% step: $(tail -n 1 "$tmp/power.txt")"
  "$ptebench" history power --history "$tmp/nights.csv" --case "$steadiest" --step 30 --noisy-null 0 > "$tmp/rule-off.txt"
  tail -n 1 "$tmp/rule-off.txt" | grep -q "confirmed by its night 2 in 2 of 2 placements" ||
    fail "30% step, --noisy-null 0: $(tail -n 1 "$tmp/rule-off.txt")"
  "$ptebench" history power --history "$tmp/nights.csv" --case "$steadiest" --step 1 > "$tmp/small.txt"
  tail -n 1 "$tmp/small.txt" | grep -q "confirmed by its night 2 in 0 of 2 placements, a suspect or confirmed in 0;" ||
    fail "1% step: $(tail -n 1 "$tmp/small.txt")"
  # --by-night 3: each placement judges three stepped nights; only night 11 has two after it.
  "$ptebench" history power --history "$tmp/nights.csv" --case "$steadiest" --step 30 --by-night 3 > "$tmp/three.txt"
  [ "$(grep -c '^  from night ' "$tmp/three.txt")" = 1 ] || fail "--by-night 3: expected 1 placement"
  grep -q '^  from night 11 night-10: night 11 .*; night 12 .*; night 13 ' "$tmp/three.txt" ||
    fail "--by-night 3: $(cat "$tmp/three.txt")"
  tail -n 1 "$tmp/three.txt" | grep -q "confirmed by its night 3 in 1 of 1 placements" ||
    fail "--by-night 3: $(tail -n 1 "$tmp/three.txt")"
  echo "history power: $(tail -n 1 "$tmp/power.txt"); 1%: $(tail -n 1 "$tmp/small.txt")"
  # --case all: one CSV row per case, steadiest first; a row says what the case alone says.
  # Two workloads' 36 cases (a filtered suite), so that it stays quick under qemu and sanitizers.
  { head -n 1 "$tmp/nights.csv"; awk -F, '$12 == "zap_range" || $12 == "munmap"' "$tmp/nights.csv"; } > "$tmp/two.csv"
  # Two threads natively; one under qemu-user, whose threads hang now and then (scripts/ci-arm64.sh).
  threads=2
  [ -z "${PTEBENCH_EMULATOR_CMD:-}" ] || threads=1
  "$ptebench" history power --history "$tmp/two.csv" --case all --step 30 --threads "$threads" > "$tmp/all.csv"
  [ "$(head -n 1 "$tmp/all.csv")" = "case,metric,sd_pct,placements,confirmed,suspected" ] ||
    fail "header: $(head -n 1 "$tmp/all.csv")"
  [ "$(($(wc -l < "$tmp/all.csv") - 1))" = 36 ] || fail "$(($(wc -l < "$tmp/all.csv") - 1)) rows for 36 cases"
  tail -n +2 "$tmp/all.csv" | awk -F, '
    $4 != 2 || $5 > $4 || $6 > $4 || $5 > $6 { print "FAIL: " $0; bad = 1 }
    NR > 1 && $3 + 0 < last { print "FAIL: " $1 " (" $3 ") after a noisier case (" last ")"; bad = 1 }
    { last = $3 + 0 }
    END { exit bad }' >&2 || fail "history power --case all rows"
  for row in 2 37; do
    IFS=, read -r c _ _ n k s < <(sed -n "${row}p" "$tmp/all.csv")
    "$ptebench" history power --history "$tmp/two.csv" --case "$c" --step 30 | tail -n 1 |
      grep -q "confirmed by its night 2 in $k of $n placements, a suspect or confirmed in $s;" ||
      fail "$c: --case all says $k of $n ($s), the case alone does not"
  done
  echo "history power --case all: 36 rows, steadiest $(sed -n 2p "$tmp/all.csv"), noisiest $(sed -n 37p "$tmp/all.csv")"
  expect_refused "no --case" "$ptebench" history power --history "$tmp/nights.csv"
  expect_refused "unknown case" "$ptebench" history power --history "$tmp/nights.csv" --case no/such/case
  grep -q "no case no/such/case with ns_per_pte" "$tmp/err" || fail "message: $(cat "$tmp/err")"
  expect_refused "zero step" "$ptebench" history power --history "$tmp/nights.csv" --case "$steadiest" --step 0
  expect_refused "--threads -1" "$ptebench" history power --history "$tmp/nights.csv" --case all --threads -1
  expect_refused "--by-night 0" "$ptebench" history power --history "$tmp/nights.csv" --case "$steadiest" --by-night 0
  expect_refused "-100% step" "$ptebench" history power --history "$tmp/nights.csv" --case "$steadiest" --step -100
  { head -n 1 "$tmp/nights.csv"; grep -v '^schema' "$tmp/nights.csv" | grep -v ',night-1[12],'; } > "$tmp/eleven.csv"
  expect_refused "11 nights" "$ptebench" history power --history "$tmp/eleven.csv" --case "$steadiest"
  grep -q "eleven.csv: 11 nights of ns_per_pte, 12 are needed (--min-history before a step confirmed by --by-night 2)" "$tmp/err" || fail "message: $(cat "$tmp/err")"
  expect_refused "missing file" "$ptebench" history power --history "$tmp/absent.csv" --case "$steadiest"
  ;;
*) fail "unknown test $test" ;;
esac
