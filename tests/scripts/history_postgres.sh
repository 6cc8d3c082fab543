#!/usr/bin/env bash
# The PostgreSQL history store against a real PostgreSQL 15 that this script starts itself:
# initdb in a temporary directory (as `nobody` when run as root: the server refuses root), the
# server on a unix socket in that directory only (no TCP port), stopped and removed at the end.
#   fleet     two hosts (rewritten copies of the noisy runs: x86-a and arm-b) appending at once,
#             four imports running together, into one database whose schema the first of them
#             creates; every run exported back byte for byte, with its context; runs keyed
#             and filterable by host (psql on the `results` view)
#   window    one host's latest nights among 100,000 runs of other hosts: asked for by host and
#             suite (the server's statement log), read as SQLite reads them (history noise);
#             report reads the samples of that host's runs only, and lists no other host's runs
#   refuse    a run stored twice, a database with another program's `runs` table, a newer
#             ptebench_meta schema version: exit 2, one line, nothing written
# Exit 77 (ctest SKIP) with the reason when the server binaries or libpq are absent.
# Usage: history_postgres.sh PTEBENCH DATA_DIR TEST HAVE_LIBPQ(0|1)
set -euo pipefail
bin=$1 data=$2 test=$3 have_libpq=$4
pgbin=${PTEBENCH_PG_BIN:-/usr/lib/postgresql/15/bin}
skip() { echo "SKIP history_postgres:$test: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$have_libpq" = 1 ] || skip "ptebench was built without libpq (libpq-dev)"
for p in initdb pg_ctl postgres; do
  [ -x "$pgbin/$p" ] || skip "no PostgreSQL 15 server at $pgbin ($p missing; apt-get install postgresql-15)"
done
command -v psql > /dev/null || skip "no psql (postgresql-client-15)"

tmp=$(mktemp -d)
as_db_user=()
if [ "$(id -u)" = 0 ]; then
  chown nobody "$tmp"
  as_db_user=(runuser -u nobody --)
fi
cleanup() {
  "${as_db_user[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
"${as_db_user[@]}" "$pgbin/initdb" -D "$tmp/data" -U ptebench --auth=trust -E UTF8 --no-sync \
  > "$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log"; fail "initdb failed"; }
port=$((20000 + $$ % 20000))
"${as_db_user[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -w -t 60 -l "$tmp/server.log" \
  -o "-k $tmp -c listen_addresses= -p $port -c fsync=off" start > /dev/null ||
  { cat "$tmp/server.log"; fail "the server did not start"; }
"${as_db_user[@]}" psql -h "$tmp" -p "$port" -U ptebench -d postgres -qc "CREATE DATABASE fleet" \
  > /dev/null
uri="postgresql://ptebench@/fleet?host=$tmp&port=$port"
psql_q() { "${as_db_user[@]}" psql -h "$tmp" -p "$port" -U ptebench -d "${2:-fleet}" -Atqc "$1"; }
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on $tmp (socket, port $port)"

# Runs of two hosts: the noisy runs with host and run_id rewritten (no field is quoted there).
as_host() { # FILE.csv.gz HOST OUT
  zcat "$1" | awk -F, -v OFS=, -v h="$2" 'NR > 1 { sub(/-vm-/, "-" h "-", $2); $4 = h } { print }' > "$3"
  local ctx=${1%.csv.gz}.context.csv
  if [ -f "$ctx" ]; then
    awk -F, -v OFS=, -v h="$2" '$1 == "run_id" { sub(/-vm-/, "-" h "-", $2) } $1 == "host" { $2 = h } { print }' \
      "$ctx" > "${3%.csv}.context.csv"
  fi
}
as_host "$data/quick-run-1.csv.gz" x86-a "$tmp/a1.csv"
as_host "$data/quick-run-2.csv.gz" x86-a "$tmp/a2.csv"
as_host "$data/quick-run-3.csv.gz" arm-b "$tmp/b1.csv"
as_host "$data/quick-run-4.csv.gz" arm-b "$tmp/b2.csv"
run_id() { sed -n '2p' "$1" | cut -d, -f2; }

expect_refused() {
  local what=$1 rc=0
  shift
  "$@" > "$tmp/out" 2> "$tmp/err" || rc=$?
  [ "$rc" = 2 ] || fail "$what: exit $rc, expected 2 ($(cat "$tmp/err"))"
  [ "$(wc -l < "$tmp/err")" = 1 ] || fail "$what: expected one line on stderr, got: $(cat "$tmp/err")"
  echo "refused as expected ($what): $(cat "$tmp/err")"
}

case "$test" in
fleet)
  # Four writers at once on an empty database: one creates the schema, all four runs land.
  pids=()
  for f in a1 a2 b1 b2; do
    "$bin" history import "$tmp/$f.csv" --history "$uri" 2> "$tmp/$f.err" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || fail "an import failed: $(cat "$tmp"/*.err)"; done
  for f in a1 a2 b1 b2; do
    id=$(run_id "$tmp/$f.csv")
    "$bin" history export --history "$uri" --run "$id" --out "$tmp/out-$f.csv"
    cmp "$tmp/$f.csv" "$tmp/out-$f.csv" || fail "$f: export differs"
    cmp "$tmp/$f.context.csv" "$tmp/out-$f.context.csv" || fail "$f: context differs"
  done
  echo "4 runs of 2 hosts imported at once, each exported byte-identical with its context"
  [ "$(psql_q "SELECT count(*) FROM runs")" = 4 ] || fail "expected 4 runs"
  [ "$(psql_q "SELECT string_agg(host || ':' || n, ',' ORDER BY host) FROM (SELECT host, count(*) n FROM runs GROUP BY host) h")" = "arm-b:2,x86-a:2" ] ||
    fail "runs per host"
  rows_a=$(psql_q "SELECT count(*) FROM results WHERE host = 'x86-a'")
  [ "$rows_a" = $(($(wc -l < "$tmp/a1.csv") + $(wc -l < "$tmp/a2.csv") - 2)) ] ||
    fail "results view: $rows_a rows of x86-a"
  echo "filter by host: x86-a has $rows_a rows in the results view"
  # The README's dashboard query: one median per run of the host.
  medians=$(psql_q "SELECT started_utc, median_ns FROM (SELECT run_id, started_utc, percentile_cont(0.5)
     WITHIN GROUP (ORDER BY value) AS median_ns FROM results WHERE host = 'arm-b'
     AND metric = 'ns_per_pte' AND workload = 'zap_range' GROUP BY run_id, started_utc) t")
  [ "$(echo "$medians" | wc -l)" = 2 ] || fail "README query: $medians"
  echo "README query, zap_range medians of arm-b: $(echo $medians)"
  # The same database again (schema present): nightly-style appends keep working.
  zcat "$data/ab-same-build-a.csv.gz" > "$tmp/ab.csv"
  "$bin" history import "$tmp/ab.csv" --history "$uri"
  "$bin" history export --history "$uri" --run "$(run_id "$tmp/ab.csv")" --out "$tmp/out-ab.csv"
  cmp "$tmp/ab.csv" "$tmp/out-ab.csv" || fail "ab: export differs"
  # SQLite and PostgreSQL give the same bytes for the whole history.
  "$bin" history export --history "$uri" --out "$tmp/all-pg.csv"
  "$bin" history import "$tmp/all-pg.csv" --history "$tmp/all.db"
  "$bin" history export --history "$tmp/all.db" --out "$tmp/all-sqlite.csv"
  cmp "$tmp/all-pg.csv" "$tmp/all-sqlite.csv" || fail "SQLite and PostgreSQL exports differ"
  echo "whole history: PostgreSQL export -> SQLite -> export byte-identical ($(wc -l < "$tmp/all-pg.csv") lines)"
  ;;
refuse)
  "$bin" history import "$tmp/a1.csv" --history "$uri"
  before=$(psql_q "SELECT count(*) FROM samples")
  expect_refused "run already stored" "$bin" history import "$tmp/a2.csv" "$tmp/a1.csv" --history "$uri"
  [ "$(psql_q "SELECT count(*) FROM samples")" = "$before" ] || fail "samples were added"
  [ "$(psql_q "SELECT count(*) FROM runs")" = 1 ] || fail "a2 was added"
  psql_q "CREATE DATABASE other" postgres > /dev/null
  psql_q "CREATE TABLE runs (x int); INSERT INTO runs VALUES (7)" other > /dev/null
  expect_refused "another program's tables" "$bin" history import "$tmp/a2.csv" \
    --history "postgresql://ptebench@/other?host=$tmp&port=$port"
  [ "$(psql_q "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'" other)" = 1 ] ||
    fail "tables were created in the other database"
  psql_q "UPDATE ptebench_meta SET value = '2' WHERE key = 'schema_version'" > /dev/null
  expect_refused "newer schema" "$bin" history import "$tmp/a2.csv" --history "$uri"
  expect_refused "no server" "$bin" history list --history "postgresql://ptebench@/fleet?host=$tmp&port=1"
  ;;
window)
  # A fleet's database: three nights of host x86-w among 100,000 runs of other hosts. nightly's
  # window (here `history noise`, which reads it the same way: history_window.cc) asks the store
  # for that host's latest runs only, and reads what SQLite's store reads.
  for k in 1 2 3; do
    as_host "$data/quick-run-$k.csv.gz" x86-w "$tmp/w$k.csv"
    "$bin" history import "$tmp/w$k.csv" --history "$uri"
    "$bin" history import "$tmp/w$k.csv" --history "$tmp/w.db"
  done
  psql_q "INSERT INTO runs (run_id, batch, started_utc, host, arch, cpu_model, kernel, compiler,
    git_rev, suite, samples) SELECT 'filler-' || i, nextval('ptebench_batch'),
    '2026-11-30T00:00:00Z', 'other-' || (i % 1000), 'x86_64', 'cpu', 'k', 'c', 'g', 'quick', 0
    FROM generate_series(1, 100000) i" > /dev/null
  psql_q "ALTER DATABASE fleet SET log_statement = 'all'" > /dev/null
  mark=$(wc -l < "$tmp/server.log")
  noise=(history noise --host x86-w --suite quick --nights 3)
  start=$(date +%s%N)
  "$bin" "${noise[@]}" --history "$uri" > "$tmp/noise-pg.csv"
  took_ms=$((($(date +%s%N) - start) / 1000000))
  "$bin" "${noise[@]}" --history "$tmp/w.db" > "$tmp/noise-sqlite.csv"
  cmp "$tmp/noise-pg.csv" "$tmp/noise-sqlite.csv" || fail "history noise: PostgreSQL and SQLite differ"
  [ "$(wc -l < "$tmp/noise-pg.csv")" -gt 100 ] || fail "history noise: $(wc -l < "$tmp/noise-pg.csv") lines"
  statements=$(tail -n +"$((mark + 1))" "$tmp/server.log")
  grep -q 'FROM runs WHERE host = \$1 AND suite = \$2' <<< "$statements" ||
    fail "the host's runs were not asked for by host and suite: $statements"
  ! grep -q 'FROM runs ORDER BY batch, id' <<< "$statements" ||
    fail "every run of every host was listed"
  echo "history noise of x86-w among 100,000 runs of other hosts: the host's runs only" \
    "(runs_by_host), output as SQLite's ($(wc -l < "$tmp/noise-pg.csv") lines, ${took_ms} ms)"
  # report reads the samples of the host's runs only, one run at a time.
  mark=$(wc -l < "$tmp/server.log")
  "$bin" report --history "$uri" --host x86-w --out "$tmp/report.html" 2> "$tmp/report.err"
  statements=$(tail -n +"$((mark + 1))" "$tmp/server.log")
  ! grep -q 'JOIN runs r ON r.id = s.run ORDER BY r.batch' <<< "$statements" ||
    fail "report read every run's samples"
  # With --host, the host's runs are listed by host (runs_by_host), the others only counted.
  grep -q 'GROUP BY host, suite' <<< "$statements" || fail "report did not count the runs by host"
  ! grep -q 'FROM runs ORDER BY batch, id' <<< "$statements" ||
    fail "report listed every run of every host"
  # The runs whose samples were read, each once or more (the latest is read first to see that it
  # holds ns_per_pte: cmd_report.cc, choose_runs): x86-w's three, no other.
  read_runs=$(grep -o 'FROM samples s WHERE s.run = [0-9]*' <<< "$statements" | awk '{print $NF}' | sort -nu | xargs)
  w_runs=$(psql_q "SELECT string_agg(id::text, ' ' ORDER BY id) FROM runs WHERE host = 'x86-w'")
  [ "$read_runs" = "$w_runs" ] ||
    fail "report read the samples of runs '$read_runs', expected x86-w's '$w_runs'"
  grep -q '3 runs from .*; 100000 runs of other hosts or suites not drawn' "$tmp/report.html" ||
    fail "report: $(cat "$tmp/report.err")"
  echo "report of x86-w: the samples of runs $read_runs read (x86-w's), $(tail -1 "$tmp/report.err")"
  ;;
*) fail "unknown test $test" ;;
esac
