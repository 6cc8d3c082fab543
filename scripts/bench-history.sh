#!/usr/bin/env bash
# The project's own benchmark of nightly's history-window read (README, Speed): a SQLite history
# of ROWS samples (default 10,000,000; generated once by bench/tools/bench_history.cc into
# build/tmp and reused: generating 10 M rows takes minutes), then five timed reads of the last
# 20 nightly runs of one host (Store::recent_runs + Store::scan of each) and their median.
#
#   scripts/bench-history.sh [ROWS] [--with-check]
#
# The store is opened with IntegrityCheck::before_first_write (harness/history_store.h): the
# whole-file quick_check reads every page (seconds at 10 M rows) and is left to the nightly's
# write. --with-check times the read with the check at open (open_store's default) instead.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=10000000
check=""
for arg in "$@"; do
  case "$arg" in
    --with-check) check=--with-check ;;
    *) rows=$arg ;;
  esac
done
cmake --build build -j2 --target ptebench-bench-history >/dev/null
mkdir -p build/tmp
build/bench/ptebench-bench-history "build/tmp/bench-history-$rows.db" "$rows" $check
