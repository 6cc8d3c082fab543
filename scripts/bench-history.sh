#!/usr/bin/env bash
# The project's own benchmark of nightly's history-window read (README, Speed): a SQLite history
# of ROWS samples (default 10,000,000; generated once by bench/tools/bench_history.cc into
# build/tmp and reused: generating 10 M rows takes minutes), then five timed reads of the last
# 20 nightly runs of one host (Store::recent_runs + Store::scan of each) and their median.
#
#   scripts/bench-history.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000000}
cmake --build build -j2 --target ptebench-bench-history >/dev/null
mkdir -p build/tmp
build/bench/ptebench-bench-history "build/tmp/bench-history-$rows.db" "$rows"
