#!/usr/bin/env bash
# The main job: install what is missing, build, run the quick suite; prints the head of its
# CSV and the variant table (ptebench run prints it). Results: results/quick.csv (+ .context.csv).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Only the executable: a first result does not wait for every test binary.
PTEBENCH_BUILD_TARGET=ptebench scripts/build.sh
out=${PTEBENCH_QUICK_OUT:-results/quick.csv}
build/bench/ptebench run --suite quick --out "$out"
echo
echo "== $out: $(($(wc -l <"$out") - 1)) rows; the first 10:"
head -n 11 "$out"
