#!/usr/bin/env bash
# Fuzzes with libFuzzer: builds the fuzz targets (fuzz/: clang, ASan + UBSan) and runs
# each for $PTEBENCH_FUZZ_SECONDS (default 60) starting from a scratch copy of the committed
# corpus tests/corpus (plus fuzz/corpus/<target>/ and fuzz/<target>.dict when they exist).
# The repository's corpus is never written to: new inputs stay in the scratch copy, and a crash
# leaves its reproducer in $build_dir/fuzz-artifacts/ (its path is printed).
#
# Build directory: $PTEBENCH_FUZZ_BUILD_DIR (default build-fuzz). Bounded by
# $PTEBENCH_FUZZ_TIMEOUT_S (default 1800 s) in all.
set -euo pipefail
source "$(dirname "$0")/ci-common.sh"
ci_bound_self "${PTEBENCH_FUZZ_TIMEOUT_S:-1800}" fuzz "$@"
cd "$ptebench_root"

if [ ! -f fuzz/CMakeLists.txt ]; then
  ci_log fuzz "no fuzz/CMakeLists.txt: nothing to fuzz"
  exit 0
fi

build_dir=${PTEBENCH_FUZZ_BUILD_DIR:-build-fuzz}
fuzz_seconds=${PTEBENCH_FUZZ_SECONDS:-60}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
scripts/install-deps.sh
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPTEBENCH_TESTS=OFF \
  -DPTEBENCH_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ "$@"
# fuzz/all: only the fuzz targets and what they link, not the CLI.
cmake --build "$build_dir" -j "$ptebench_jobs" --target fuzz/all

mapfile -t targets < <(find "$build_dir/fuzz" -maxdepth 1 -type f -executable | sort)
if [ "${#targets[@]}" -eq 0 ]; then
  ci_log fuzz "FAILED: fuzz/ built no executable"
  exit 1
fi

scratch="$build_dir/fuzz-work"
artifacts="$build_dir/fuzz-artifacts"
rm -rf "$scratch"
mkdir -p "$scratch" "$artifacts"
status=0
total_runs=0
for exe in "${targets[@]}"; do
  name=$(basename "$exe")
  corpus="$scratch/$name"
  mkdir -p "$corpus"
  cp tests/corpus/* "$corpus/"
  [ ! -d "fuzz/corpus/$name" ] || cp "fuzz/corpus/$name"/* "$corpus/"
  args=(-max_total_time="$fuzz_seconds" -print_final_stats=1 -timeout=10
        -artifact_prefix="$artifacts/$name-")
  [ ! -f "fuzz/$name.dict" ] || args+=(-dict="fuzz/$name.dict")
  log="$scratch/$name.log"
  ci_log fuzz "$name: ${fuzz_seconds} s from $(find "$corpus" -type f | wc -l) seed inputs"
  rc=0
  "$exe" "${args[@]}" "$corpus" >"$log" 2>&1 || rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)
  if [ "$rc" -ne 0 ]; then
    status=1
    tail -n 60 "$log"
    ci_log fuzz "$name: FAILED (status $rc); reproducer: $(ls "$artifacts/$name-"* 2>/dev/null |
      head -n 1)"
  fi
  ci_log fuzz "$name: ${done_line:-no DONE line}"
  ci_log fuzz "$name: stat::number_of_executed_units: ${runs:-0}, corpus now" \
    "$(find "$corpus" -type f | wc -l) inputs"
  total_runs=$((total_runs + ${runs:-0}))
done
ci_log fuzz "${#targets[@]} targets, $total_runs executions in all, $([ $status = 0 ] &&
  echo 'no crash, leak or UB report' || echo 'FAILURES above')"
exit "$status"
