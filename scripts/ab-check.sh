#!/usr/bin/env bash
# Sequential `ab` against `ab --duet` on this machine, side by side (issue 11 item 5, README
# "ab --duet"): which mode gives narrower intervals, cries wolf less, and finds a small slowdown
# more often?
#
# T trials; each runs, in both modes (the order alternating between trials, so that a trend of
# the machine does not favour one mode):
#   A/A   ab of one build against itself: rows flagged (regression or improvement), and the
#         median over the metric's cases of the width of the 95% interval of the ratio B/A
#         (percentage points);
#   slow  with --inject-slowdown GLOB=PCT: ab of the build against itself with B slowed in the
#         matching cases (ptebench run --inject-slowdown): whether every slowed case's metric was
#         flagged as a regression, and how many other rows were flagged.
# It prints one line per trial and mode, then per mode: the median interval width (and its range
# over trials), A/A rows flagged, and in how many trials the slowdown was found.
# Run it on a quiet machine; timings taken while others compile say nothing.
#
#   scripts/ab-check.sh [-t TRIALS] [--filter GLOB]... [--repetitions N] [--suite S]
#                       [--metric M] [--inject-slowdown GLOB=PCT] [--mode both|sequential|duet]
#                       [--ptebench PATH] [--out DIR]
#
# --mode: one mode only (half the time: the acceptance of `ab` in issue 11 is about its default).
# Defaults: both modes, 10 trials, 20 repetitions a side (ab's default), metric ns_per_pte, the
# quick suite's cases matching --filter (default: the three x86_64 dense 262144-entry copy_range
# cases and zap_range's: a handful of synthetic cases). Exit 0 when it ran (the numbers are the
# answer), 2 on bad usage or a failed ab.
set -euo pipefail

trials=10
repetitions=20
suite=quick
metric=ns_per_pte
ptebench=build/bench/ptebench
out=""
filters=()
inject=""
mode_list=(sequential duet)

usage() {
  sed -n '2,/^set -euo/{/^set -euo/!p}' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
die() {
  echo "ab-check: $*" >&2
  exit 2
}

while (($#)); do
  case "$1" in
    -t) (($# >= 2)) || usage; trials=$2; shift 2 ;;
    --filter) (($# >= 2)) || usage; filters+=("$2"); shift 2 ;;
    --repetitions) (($# >= 2)) || usage; repetitions=$2; shift 2 ;;
    --suite) (($# >= 2)) || usage; suite=$2; shift 2 ;;
    --metric) (($# >= 2)) || usage; metric=$2; shift 2 ;;
    --inject-slowdown) (($# >= 2)) || usage; inject=$2; shift 2 ;;
    --mode) (($# >= 2)) || usage
      case $2 in both) mode_list=(sequential duet) ;; sequential | duet) mode_list=("$2") ;;
        *) die "--mode $2: expected both, sequential or duet" ;; esac
      shift 2 ;;
    --ptebench) (($# >= 2)) || usage; ptebench=$2; shift 2 ;;
    --out) (($# >= 2)) || usage; out=$2; shift 2 ;;
    -h | --help) usage ;;
    *) echo "ab-check: unknown argument '$1'" >&2; usage ;;
  esac
done
if ! [[ $trials =~ ^[0-9]+$ ]] || ((trials < 1)); then die "-t $trials: need a whole number >= 1"; fi
if ! [[ $repetitions =~ ^[0-9]+$ ]] || ((repetitions < 5)); then
  die "--repetitions $repetitions: need a whole number >= 5 (compare's least a side)"
fi
[[ -x $ptebench ]] || die "$ptebench: not an executable (build first: scripts/build.sh)"
[[ $ptebench == *,* ]] && die "$ptebench: a path with a comma would break the CSV fields read here"
if [[ -n $inject ]]; then
  [[ $inject == *=* ]] || die "--inject-slowdown $inject: expected GLOB=PCT"
fi
if ((${#filters[@]} == 0)); then
  filters=('copy_range/x86_64/*/dense/262144/*' 'zap_range/x86_64/*/dense/262144/*')
fi
ptebench=$(cd "$(dirname "$ptebench")" && pwd)/$(basename "$ptebench")
if [[ -z $out ]]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/ab-check.XXXXXX")
else
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
fi
if [[ " ${mode_list[*]} " == *" duet "* ]] && (($(nproc) < 2)); then
  echo "ab-check: SKIP: ab --duet needs two CPUs; this process may use $(nproc) (nproc)"
  exit 0
fi

# B of the slowed trials: the same build with the slowdown (ab appends `run` and its flags).
slow_side="$out/slowed-b.sh"
printf '#!/bin/sh\nexec "%s" "$@" --inject-slowdown "%s"\n' "$ptebench" "$inject" > "$slow_side"

filter_flags=()
for f in "${filters[@]}"; do filter_flags+=(--filter "$f"); done

# ab in mode $1 (sequential | duet) with B command $2 -> $3.csv (compare's CSV; ab prints which
# command is A and which B above it, left out here) and $3.log.
# Exit 1 (a regression) is an answer here, 2 is not. Prints the wall seconds.
one_ab() {
  local mode=$1 b=$2 base=$3 status=0 start end
  local duet_flag=()
  [[ $mode == duet ]] && duet_flag=(--duet)
  start=$(date +%s.%N)
  "$ptebench" ab "${duet_flag[@]}" --a "$ptebench" --b "$b" --suite "$suite" "${filter_flags[@]}" \
    --repetitions "$repetitions" --metric "$metric" --format csv --out "$base-ab.csv" \
    > "$base.out" 2> "$base.log" || status=$?
  end=$(date +%s.%N)
  ((status <= 1)) || die "ab ($mode) failed with status $status: $(tail -3 "$base.log")"
  cp "$base.out" "$base.csv"  # --format csv: stdout is the CSV alone
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", e - s }'
}

# Fields of compare's CSV (harness/report.h): 3 codegen, 4 workload, 5 pte_format, 6 variant,
# 7 layout, 8 ptes, 9 metric, 16 ratio_low, 17 ratio_high, 21 verdict. Labels hold the commands,
# which hold no comma (checked above).
#
# A/A: "rows flagged median_width_pct"; the width over rows with an interval.
aa_stats() {
  awk -F, 'NR > 1 {
      n++
      if ($21 == "regression" || $21 == "improvement") f++
      if ($16 != "" && $17 != "") w[++k] = 100 * ($17 - $16)
    }
    END {
      # median of w[1..k] (insertion sort: a handful of cases)
      for (i = 2; i <= k; i++) { x = w[i]; for (j = i - 1; j >= 1 && w[j] > x; j--) w[j + 1] = w[j]; w[j + 1] = x }
      m = k == 0 ? "nan" : (k % 2 ? w[(k + 1) / 2] : (w[k / 2] + w[k / 2 + 1]) / 2)
      printf "%d %d %s\n", n, f, m
    }' "$1"
}

# Whether case name $1 (workload/pte_format/variant/layout/ptes/codegen) matches the injected
# glob.
injected() {
  local glob=${inject%=*}
  # shellcheck disable=SC2053  # the glob is meant to match
  [[ $1 == $glob || ${1%/*} == $glob ]]
}

# Slowed: "found others" - found 1 when every injected case was flagged as a regression.
slow_stats() {
  local found=1 any=0 others=0 name verdict
  while read -r name verdict; do
    if injected "$name"; then
      any=1
      [[ $verdict == regression ]] || found=0
    elif [[ $verdict == regression || $verdict == improvement ]]; then
      others=$((others + 1))
    fi
  done < <(awk -F, 'NR > 1 { print $4 "/" $5 "/" $6 "/" $7 "/" $8 "/" $3, $21 }' "$1")
  ((any)) || die "--inject-slowdown $inject matches no case compared in $1"
  echo "$((found)) $others"
}

echo "ab-check: $trials trials of $ptebench, $repetitions repetitions a side, metric $metric," \
  "cases ${filters[*]}${inject:+, slowed: $inject}; files in $out"
declare -A widths aa_rows aa_flagged found others wall
for mode in "${mode_list[@]}"; do
  widths[$mode]="" aa_rows[$mode]=0 aa_flagged[$mode]=0 found[$mode]=0 others[$mode]=0
  wall[$mode]=0
done
for ((t = 1; t <= trials; t++)); do
  # Both modes: the order alternates between trials.
  modes=("${mode_list[@]}")
  if ((${#modes[@]} == 2 && t % 2 == 0)); then modes=(duet sequential); fi
  for mode in "${modes[@]}"; do
    base="$out/t$t-$mode"
    secs=$(one_ab "$mode" "$ptebench" "$base-aa")
    stats=$(aa_stats "$base-aa.csv")
    read -r rows flagged width <<< "$stats"
    widths[$mode]+="$width "
    aa_rows[$mode]=$((aa_rows[$mode] + rows))
    aa_flagged[$mode]=$((aa_flagged[$mode] + flagged))
    wall[$mode]=$((wall[$mode] + secs))
    line="  trial $t $(printf '%-10s' "$mode") A/A: $flagged of $rows rows flagged, median 95% interval width $(printf '%.2f' "$width") pp ($secs s)"
    if [[ -n $inject ]]; then
      secs=$(one_ab "$mode" "sh $slow_side" "$base-slow")
      stats=$(slow_stats "$base-slow.csv")
      read -r hit other <<< "$stats"
      found[$mode]=$((found[$mode] + hit))
      others[$mode]=$((others[$mode] + other))
      wall[$mode]=$((wall[$mode] + secs))
      line+="; slowed: $( ((hit)) && echo found || echo missed), $other other rows flagged ($secs s)"
    fi
    echo "$line"
  done
done

# Median and range of a list of numbers.
summary_of() {
  tr ' ' '\n' <<< "$1" | awk 'NF { w[++k] = $1 }
    END {
      for (i = 2; i <= k; i++) { x = w[i]; for (j = i - 1; j >= 1 && w[j] > x; j--) w[j + 1] = w[j]; w[j + 1] = x }
      m = k % 2 ? w[(k + 1) / 2] : (w[k / 2] + w[k / 2 + 1]) / 2
      printf "%.2f pp (%.2f .. %.2f over %d trials)", m, w[1], w[k], k
    }'
}

echo
echo "summary ($metric, $repetitions repetitions a side):"
for mode in "${mode_list[@]}"; do
  line="  $(printf '%-10s' "$mode") median 95% interval width $(summary_of "${widths[$mode]}");"
  line+=" A/A flagged ${aa_flagged[$mode]} of ${aa_rows[$mode]} rows"
  if [[ -n $inject ]]; then
    line+="; $inject found in ${found[$mode]} of $trials trials, other rows flagged ${others[$mode]}"
  fi
  echo "$line; wall ${wall[$mode]} s"
done
