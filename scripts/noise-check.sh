#!/usr/bin/env bash
# How often does `ptebench compare` cry wolf on this machine, and does it still find a real
# change? (issue 11, README "Comparing")
#
# Runs K independent quick runs of one build, compares every pair with compare's default flags
# and prints the flag rate: flagged rows / rows compared, and whole-run verdicts. With
# --inject-slowdown GLOB=PCT it also runs K runs with that slowdown (ptebench run
# --inject-slowdown) and compares every clean run with every slowed one: it prints in how many
# pairs the slowed cases were flagged as regressions and how many other rows were flagged.
# With --with-history every comparison also gets the clean runs it does not compare as
# `--history` (the machine's run-to-run noise reference, README "Comparing"); needs -k >= 3.
# --clean FILE (repeatable) uses existing results of the build as the clean runs instead of
# running them (e.g. the clean nights of scripts/nightly-check.sh); -k then counts slowed runs.
# Run it on a quiet machine; timings taken while others compile say nothing.
#
#   scripts/noise-check.sh [-k K] [--filter GLOB]... [--repetitions N] [--suite S]
#                          [--inject-slowdown GLOB=PCT]... [--with-history] [--clean FILE]...
#                          [--ptebench PATH] [--out DIR]
#                          [-- compare flags...]
#
# Exit 0 when it ran (the rates are the answer), 2 on bad usage or a failed run or compare.
set -euo pipefail

k=4
suite=quick
ptebench=build/bench/ptebench
out=""
run_flags=()
inject=()
compare_flags=()
with_history=0
clean_files=()

usage() {
  sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
die() {
  echo "noise-check: $*" >&2
  exit 2
}

while (($#)); do
  case "$1" in
    -k) (($# >= 2)) || usage; k=$2; shift 2 ;;
    --filter) (($# >= 2)) || usage; run_flags+=(--filter "$2"); shift 2 ;;
    --repetitions) (($# >= 2)) || usage; run_flags+=(--repetitions "$2"); shift 2 ;;
    --suite) (($# >= 2)) || usage; suite=$2; shift 2 ;;
    --inject-slowdown) (($# >= 2)) || usage; inject+=("$2"); shift 2 ;;
    --ptebench) (($# >= 2)) || usage; ptebench=$2; shift 2 ;;
    --with-history) with_history=1; shift ;;
    --clean) (($# >= 2)) || usage; clean_files+=("$2"); shift 2 ;;
    --out) (($# >= 2)) || usage; out=$2; shift 2 ;;
    --) shift; compare_flags=("$@"); break ;;
    -h | --help) usage ;;
    *) echo "noise-check: unknown argument '$1'" >&2; usage ;;
  esac
done
if ! [[ $k =~ ^[0-9]+$ ]] || ((k < 2)); then die "-k $k: need a whole number >= 2"; fi
for f in "${clean_files[@]}"; do [[ -r $f ]] || die "--clean $f: not a readable file"; done
kc=$k  # clean runs
((${#clean_files[@]})) && kc=${#clean_files[@]}
if ((with_history && kc < 3)); then die "--with-history needs 3 clean runs or more"; fi
[[ -x $ptebench ]] || die "$ptebench: not an executable (build first: scripts/build.sh)"
for spec in "${inject[@]}"; do
  [[ $spec == *=* ]] || die "--inject-slowdown $spec: expected GLOB=PCT"
done
if [[ -z $out ]]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/noise-check.XXXXXX")
else
  mkdir -p "$out"
fi

# One run into $1, with any further arguments passed to `ptebench run`.
one_run() {
  local file=$1
  shift
  "$ptebench" run --suite "$suite" "${run_flags[@]}" --out "$file" --no-table "$@" \
    >"$file.log" 2>&1 || die "run $file failed (log: $file.log)"
}

echo "noise-check: $kc clean runs of $ptebench (suite $suite${run_flags[*]:+, ${run_flags[*]}}) in $out"
inject_flags=()
for spec in "${inject[@]}"; do inject_flags+=(--inject-slowdown "$spec"); done
for ((i = 1; i <= kc; i++)); do
  if ((${#clean_files[@]})); then cp "${clean_files[i - 1]}" "$out/clean-$i.csv"; else
    one_run "$out/clean-$i.csv"; fi
done
if ((${#inject[@]})); then
  for ((i = 1; i <= k; i++)); do
    one_run "$out/slow-$i.csv" "${inject_flags[@]}"
    echo "  slowed run $i of $k done"
  done
fi

# compare $1 $2 -> $3.csv (rows) and $3.txt (the table with its summary). Exit 1 (a regression)
# is an answer here, 2 is not. $4, $5: clean run numbers not to use as history.
compare_pair() {
  local status=0 h
  local history=()
  if ((with_history)); then
    for ((h = 1; h <= kc; h++)); do
      ((h == $4 || h == $5)) || history+=(--history "$out/clean-$h.csv")
    done
  fi
  "$ptebench" compare "$1" "$2" "${history[@]}" "${compare_flags[@]}" --format csv \
    >"$3.csv" 2>"$3.err" || status=$?
  ((status <= 1)) || die "compare $1 $2 failed: $(cat "$3.err")"
  status=0
  "$ptebench" compare "$1" "$2" "${history[@]}" "${compare_flags[@]}" >"$3.txt" 2>"$3.err" ||
    status=$?
  ((status <= 1)) || die "compare $1 $2 failed: $(cat "$3.err")"
}

# Fields of a compare CSV row (report.h): 3 codegen, 4 workload, 5 pte_format, 6 variant,
# 7 layout, 8 ptes, 9 metric, 21 verdict. Prints "case metric verdict" per row.
rows_of() {
  awk -F, 'NR > 1 { print $4 "/" $5 "/" $6 "/" $7 "/" $8 "/" $3, $9, $21 }' "$1"
}

# Whole-run verdicts (regression or improvement) named in the summary line of a table.
whole_run_flags() {
  grep '^summary:' "$1" | grep -oE 'whole run (regression|improvement)' | wc -l || true
}

# Does case name $1 (workload/.../ptes/codegen) match one of the injected globs?
injected() {
  local spec glob
  for spec in "${inject[@]}"; do
    glob=${spec%=*}
    # shellcheck disable=SC2053  # the glob is meant to match
    [[ $1 == $glob || ${1%/*} == $glob ]] && return 0
  done
  return 1
}

echo
echo "same-build pairs (compare with default flags${compare_flags[*]:+ + ${compare_flags[*]}}$(
  ((with_history)) && echo ", the other clean runs as --history")):"
total_rows=0 total_flagged=0 total_inconclusive=0 total_whole=0 pairs=0
for ((i = 1; i <= kc; i++)); do
  for ((j = i + 1; j <= kc; j++)); do
    base="$out/pair-$i-$j"
    compare_pair "$out/clean-$i.csv" "$out/clean-$j.csv" "$base" "$i" "$j"
    read -r rows flagged inconclusive < <(rows_of "$base.csv" | awk '
      { n++ } $3 == "regression" || $3 == "improvement" { f++ } $3 == "inconclusive" { c++ }
      END { print n + 0, f + 0, c + 0 }')
    whole=$(whole_run_flags "$base.txt")
    echo "  run $i vs run $j: $flagged of $rows rows flagged, $inconclusive inconclusive," \
      "$whole whole-run verdicts"
    total_rows=$((total_rows + rows))
    total_flagged=$((total_flagged + flagged))
    total_inconclusive=$((total_inconclusive + inconclusive))
    total_whole=$((total_whole + whole))
    pairs=$((pairs + 1))
  done
done
rate=$(awk -v f="$total_flagged" -v n="$total_rows" 'BEGIN { printf "%.2f", n ? 1000 * f / n : 0 }')
echo "flag rate: $total_flagged of $total_rows rows ($rate per 1000) in $pairs pairs;" \
  "whole-run verdicts: $total_whole; inconclusive rows: $total_inconclusive"

((${#inject[@]})) || exit 0
echo
echo "clean vs slowed (--inject-slowdown ${inject[*]}):"
found_pairs=0 other_flagged=0 other_rows=0 pairs=0
for ((i = 1; i <= kc; i++)); do
  for ((j = 1; j <= k; j++)); do
    base="$out/inject-$i-$j"
    compare_pair "$out/clean-$i.csv" "$out/slow-$j.csv" "$base" "$i" "$i"
    found=0 missed=0 others=0 rows=0 verdicts=""
    while read -r name metric verdict; do
      if injected "$name"; then
        # The injected cases count once per case, on ns_per_pte (the slowdown is in time).
        [[ $metric == ns_per_pte ]] || continue
        verdicts+="${verdicts:+, }$name $verdict"
        if [[ $verdict == regression ]]; then found=$((found + 1)); else missed=$((missed + 1)); fi
      else
        rows=$((rows + 1))
        [[ $verdict == regression || $verdict == improvement ]] && others=$((others + 1))
      fi
    done < <(rows_of "$base.csv")
    whole=$(whole_run_flags "$base.txt")
    echo "  clean $i vs slowed $j: injected cases flagged $found of $((found + missed));" \
      "other rows flagged $others of $rows; whole-run verdicts $whole ($verdicts)"
    ((missed == 0 && found > 0)) && found_pairs=$((found_pairs + 1))
    other_flagged=$((other_flagged + others))
    other_rows=$((other_rows + rows))
    pairs=$((pairs + 1))
  done
done
echo "found: every injected case flagged in $found_pairs of $pairs pairs;" \
  "other rows flagged: $other_flagged of $other_rows"
