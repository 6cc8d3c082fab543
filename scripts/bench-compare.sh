#!/usr/bin/env bash
# The project's own benchmark of `ptebench compare` at scale (README, Speed): generates two
# results files of ROWS rows each (default 1,000,000; bench/tools/gen_results.cc, deterministic,
# kept in build/tmp for the next call), runs `compare A B` RUNS times (default 5) and prints
# each wall time and peak RSS (/usr/bin/time) and the median of both.
#
#   scripts/bench-compare.sh [--rows N] [--runs N] [--reference OLD_PTEBENCH]
#
# --reference: also run an older ptebench binary on the same files, timed the same way, its runs
# alternating with this build's, print the median of the run-by-run ratios (the speed-up), and
# check that its output and exit status are byte for byte those of this build's.
# Uses build/ (scripts/build.sh); builds ptebench and ptebench-gen-results there.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=1000000
runs=5
reference=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --reference) reference=$2; shift 2 ;;
    *) echo "bench-compare.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "bench-compare.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
cmake --build build -j2 --target ptebench ptebench-gen-results >/dev/null
tmp=build/tmp
mkdir -p "$tmp"
a=$tmp/bench-compare-$rows-a.csv
b=$tmp/bench-compare-$rows-b.csv
[ -s "$a" ] || build/bench/ptebench-gen-results "$rows" 1 "$a"
[ -s "$b" ] || build/bench/ptebench-gen-results "$rows" 2 "$b"

# time_one BINARY LABEL I: the I-th timed run; the output in $tmp/LABEL.out, wall and RSS
# appended to walls_LABEL and rss_LABEL.
walls_ptebench=() rss_ptebench=() walls_reference=() rss_reference=()
time_one() {
  local bin=$1 label=$2 i=$3 status=0
  /usr/bin/time -f "%e %M" -o "$tmp/$label.time" "$bin" compare "$a" "$b" \
    >"$tmp/$label.out" 2>"$tmp/$label.err" || status=$?
  [ "$status" -le 1 ] || { echo "$label: compare failed ($status):" >&2; cat "$tmp/$label.err" >&2; exit 1; }
  echo "$status" >"$tmp/$label.status"
  read -r wall kb <"$tmp/$label.time"
  eval "walls_$label+=(\"\$wall\"); rss_$label+=(\"\$kb\")"
  echo "$label run $i: ${wall} s wall, $((kb / 1024)) MiB peak RSS"
}

# summary LABEL: the medians of LABEL's runs.
summary() {
  local label=$1 mid=$(((runs + 1) / 2)) med_wall med_kb
  eval "local walls=(\"\${walls_$label[@]}\") rss=(\"\${rss_$label[@]}\")"
  med_wall=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "${mid}p")
  med_kb=$(printf '%s\n' "${rss[@]}" | sort -g | sed -n "${mid}p")
  echo "$label: median ${med_wall} s wall, $((med_kb / 1024)) MiB peak RSS over $runs runs of compare of 2 x $rows rows ($(nproc) CPUs)"
}

# With a reference the two alternate run by run (this build first, then the reference first, ...),
# so that the machine's drift over the minutes the benchmark takes lands on both alike.
for ((i = 1; i <= runs; i++)); do
  if [ -n "$reference" ] && ((i % 2 == 0)); then
    time_one "$reference" reference "$i"
    time_one build/bench/ptebench ptebench "$i"
  else
    time_one build/bench/ptebench ptebench "$i"
    [ -z "$reference" ] || time_one "$reference" reference "$i"
  fi
done
summary ptebench
if [ -n "$reference" ]; then
  summary reference
  # The median of the runs' ratios reference / this build (run i of each are neighbours in time).
  ratios=()
  for ((i = 0; i < runs; i++)); do
    ratios+=("$(awk -v r="${walls_reference[$i]}" -v p="${walls_ptebench[$i]}" 'BEGIN { printf "%.3f", r / p }')")
  done
  echo "speed-up: median $(printf '%s\n' "${ratios[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p")x (reference / this build, run by run: ${ratios[*]})"
  if cmp -s "$tmp/ptebench.out" "$tmp/reference.out" && cmp -s "$tmp/ptebench.status" "$tmp/reference.status"; then
    echo "output: identical to the reference's ($(wc -l <"$tmp/ptebench.out") lines, exit $(cat "$tmp/ptebench.status"))"
  else
    echo "output: DIFFERS from the reference's (diff $tmp/ptebench.out $tmp/reference.out)" >&2
    exit 1
  fi
fi
