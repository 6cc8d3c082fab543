#!/usr/bin/env bash
# Does `ptebench nightly` raise false alarms on this machine, and does it confirm a real step?
# (issue 11, README "Nightly"). Each "night" is a real nightly run of one build (the quick suite
# stands in for the nightly one; no exact pass).
#
#  1. clean: N clean nights one after the other into a fresh history; prints each night's
#     judgement and exit status, and the alarms (exit 1) in all.
#  2. step trials: T trials, each with a history of 10 of the clean nights (trial t starts at
#     clean night t, wrapping around) and two more nights with CASE slowed by PCT% (the step):
#     prints the case's state on night 11 and 12 and whether it was confirmed by night 12, and
#     the other cases confirmed as regressions and, apart, as improvements.
#  3. blip trials: B trials as the step trials, but the slowdown on night 11 only.
#  4. replayed: the same step injected into the clean nights' history at every night with 10
#     before it (`ptebench history power`: the judge without re-runs, each night against up to
#     20 before it, as nightly's default window), printed to read the live rate against; only
#     with 12 clean nights or more (e.g. -n 11 --refresh 1).
#
#   scripts/nightly-check.sh [-n N] [-t T] [-b B] [--case NAME] [--step PCT] [--suite S]
#                            [--clean-from DIR] [--refresh K] [--ptebench PATH] [--out DIR]
#                            [-- nightly flags...]
#
# --clean-from DIR: take the clean nights of an earlier check (DIR/clean/keep-*.csv) instead of
# running them (phase 1 is then skipped). --refresh K: before each trial, K more clean nights,
# and each trial's history is then the latest 10 clean nights (a nightly's window is its recent
# nights: on a machine whose state drifts over minutes, clean nights taken long before the trial
# nights make a reference of another state).
#
# Defaults: N 12, T 10, B 5, CASE munmap/arm64/plain/dense/4096/kernel, PCT 5. The case is the
# issue's "low-noise case": of the quick suite's 111, the one with the smallest night-to-night sd
# once the common factor is removed (0.63%) over this VM's 23 clean nights of 2026-12-02 (the
# former default, copy_range/x86_64/plain/dense/262144, had 1.72%: a 5% step is 3 of its sd).
# --case auto: the steadiest case of this check's clean nights (the first line of `ptebench
# history noise` over them, printed with its sd). Not the default: over 11 nights the steadiest
# is mostly chance. Taken from the first 11 clean nights of each of the three checks of
# 2026-12-04/05, it ranked 50th, 3rd and 64th of 111 over the 10-12 clean nights after them
# (munmap/arm64/plain/dense/4096/kernel: 55th, 67th, 43rd).
# Run it on a quiet machine: about 45 s a night, (N + 2T + 2B) nights.
# Exit 0 when it ran (the counts are the answer), 2 on bad usage or a failed night.
set -euo pipefail

n=12 trials=10 blips=5
case_name=munmap/arm64/plain/dense/4096/kernel
step=5
suite=quick
ptebench=build/bench/ptebench
out=""
nightly_flags=()
clean_from=""
refresh=0

usage() {
  sed -n '2,38p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
die() {
  echo "nightly-check: $*" >&2
  exit 2
}

while (($#)); do
  case "$1" in
    -n) (($# >= 2)) || usage; n=$2; shift 2 ;;
    -t) (($# >= 2)) || usage; trials=$2; shift 2 ;;
    -b) (($# >= 2)) || usage; blips=$2; shift 2 ;;
    --case) (($# >= 2)) || usage; case_name=$2; shift 2 ;;
    --step) (($# >= 2)) || usage; step=$2; shift 2 ;;
    --suite) (($# >= 2)) || usage; suite=$2; shift 2 ;;
    --clean-from) (($# >= 2)) || usage; clean_from=$2; shift 2 ;;
    --refresh) (($# >= 2)) || usage; refresh=$2; shift 2 ;;
    --ptebench) (($# >= 2)) || usage; ptebench=$2; shift 2 ;;
    --out) (($# >= 2)) || usage; out=$2; shift 2 ;;
    --) shift; nightly_flags=("$@"); break ;;
    -h | --help) usage ;;
    *) echo "nightly-check: unknown argument '$1'" >&2; usage ;;
  esac
done
for v in "$n" "$trials" "$blips"; do
  [[ $v =~ ^[0-9]+$ ]] || die "$v: need a whole number"
done
((n >= 10)) || die "-n $n: the trials need 10 clean nights"
[[ -x $ptebench ]] || die "$ptebench: not an executable (build first: scripts/build.sh)"
if [[ -z $out ]]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/nightly-check.XXXXXX")
else
  mkdir -p "$out"
fi

# One night: nightly into history $1, results $2, further arguments to nightly. Prints
# "<exit> <headline>"; exit 1 (a confirmed regression) is an answer, anything else above is not.
night() {
  local history=$1 results=$2 status=0
  shift 2
  # A run id is the start second, host and pid: nights a second apart at least.
  sleep 1
  "$ptebench" nightly --history "$history" --suite "$suite" --no-exact --no-table \
    --out "$results" "${nightly_flags[@]}" "$@" >"$results.log" 2>&1 || status=$?
  ((status <= 1)) || die "night $results failed (exit $status; log: $results.log)"
  echo "$status $(sed -n 's/^## Against the history: //p' "${results%.csv}.md")"
}

# The state of case $1 in report $2: its row's state cell, or "stable" when not listed.
state_of() {
  awk -F' [|] ' -v c="$1" '$1 == "| " c && $2 == "ns_per_pte" { gsub(/\*/, "", $3); print $3; f = 1 }
    END { if (!f) print "stable" }' "$2"
}

# Confirmed changes of other cases than $1 in report $2 whose state cell is $3 (the report bolds
# a regression: '**regression**', 'improvement').
others_confirmed() {
  grep -F "| $3 |" "$2" | grep -vcF "| $1 |" || true
}

echo "nightly-check: $ptebench, suite $suite, in $out"
echo
mkdir -p "$out/clean"
if [[ -n $clean_from ]]; then
  n=$(find "$clean_from/clean" -name 'keep-*.csv' | wc -l)
  ((n >= 10)) || die "--clean-from $clean_from: $n clean nights, the trials need 10"
  [[ $clean_from/clean -ef $out/clean ]] || cp "$clean_from"/clean/keep-*.csv "$out/clean/"
  # Their history, for the refreshed clean nights to be judged against.
  for ((i = 1; i <= n; i++)); do
    if ((i == 1)); then cat "$out/clean/keep-1.csv" >"$out/clean/history.csv"; else
      tail -n +2 "$out/clean/keep-$i.csv" >>"$out/clean/history.csv"; fi
  done
  echo "1. $n clean nights taken from $clean_from"
else
  echo "1. $n clean nights into one history:"
  alarms=0 judged=0
  for ((i = 1; i <= n; i++)); do
    read -r status headline < <(night "$out/clean/history.csv" "$out/clean/night-$i.csv")
    cp "$out/clean/night-$i.csv" "$out/clean/keep-$i.csv"
    [[ $headline == collecting* ]] || judged=$((judged + 1))
    alarms=$((alarms + status))
    echo "  night $i: exit $status, $headline"
  done
  echo "clean: $alarms alarms (exit 1) in $n nights ($judged judged, the rest collecting history)"
fi

# The low-noise case (--case auto): the steadiest over the clean nights (the header).
if [[ $case_name == auto ]]; then
  noise=$("$ptebench" history noise --history "$out/clean/history.csv") ||
    die "history noise over $out/clean/history.csv failed"
  steadiest=$(sed -n 2p <<<"$noise")
  [[ -n $steadiest ]] || die "$out/clean/history.csv: no case to choose from"
  IFS=, read -r case_name _ nights_read _ raw_sd sd _ <<<"$steadiest"
  echo "low-noise case: $case_name, night-to-night sd $sd% (raw $raw_sd%) over $nights_read clean nights"
fi

# A history of 10 clean nights starting at clean night $2 (wrapping) into $1; with --refresh,
# the latest 10.
history_from() {
  local file=$1 start=$2 k idx
  ((refresh == 0)) || start=$((n - 9))
  : >"$file"
  for ((k = 0; k < 10; k++)); do
    idx=$(((start - 1 + k) % n + 1))
    if ((k == 0)); then cat "$out/clean/keep-$idx.csv" >"$file"; else
      tail -n +2 "$out/clean/keep-$idx.csv" >>"$file"; fi
  done
}

# Trials of kind $1 (step | blip), $2 of them.
trials_of() {
  local kind=$1 count=$2 t confirmed=0 alarms_other=0 improvements_other=0
  local slow=(--inject-slowdown "$case_name=$step")
  for ((t = 1; t <= count; t++)); do
    local dir="$out/$kind-$t" r
    mkdir -p "$dir"
    for ((r = 0; r < refresh; r++)); do
      n=$((n + 1))
      read -r s0 h0 < <(night "$out/clean/history.csv" "$out/clean/night-$n.csv")
      cp "$out/clean/night-$n.csv" "$out/clean/keep-$n.csv"
      echo "  clean night $n: exit $s0, $h0"
      refresh_alarms=$((refresh_alarms + s0))
    done
    history_from "$dir/history.csv" "$t"
    read -r s11 h11 < <(night "$dir/history.csv" "$dir/night-11.csv" "${slow[@]}")
    local st11
    st11=$(state_of "$case_name" "$dir/night-11.md")
    local others11 better11
    others11=$(others_confirmed "$case_name" "$dir/night-11.md" "**regression**")
    better11=$(others_confirmed "$case_name" "$dir/night-11.md" improvement)
    if [[ $kind == step ]]; then
      read -r s12 h12 < <(night "$dir/history.csv" "$dir/night-12.csv" "${slow[@]}")
    else
      read -r s12 h12 < <(night "$dir/history.csv" "$dir/night-12.csv")
    fi
    local st12 others12 better12
    st12=$(state_of "$case_name" "$dir/night-12.md")
    others12=$(others_confirmed "$case_name" "$dir/night-12.md" "**regression**")
    better12=$(others_confirmed "$case_name" "$dir/night-12.md" improvement)
    [[ $st11 == regression || $st12 == regression ]] && confirmed=$((confirmed + 1))
    alarms_other=$((alarms_other + others11 + others12))
    improvements_other=$((improvements_other + better11 + better12))
    echo "  trial $t: night 11 $st11 (exit $s11; $h11), night 12 $st12 (exit $s12; $h12)"
  done
  echo "$kind: $case_name confirmed by night 12 in $confirmed of $count trials;" \
    "other cases confirmed: $alarms_other; improvements of other cases confirmed: $improvements_other"
}

refresh_alarms=0
echo
echo "2. $trials trials, $case_name +$step% from night 11 on:"
trials_of step "$trials"
echo
echo "3. $blips trials, $case_name +$step% on night 11 only:"
trials_of blip "$blips"
((refresh == 0)) || echo "refreshed clean nights: $refresh_alarms alarms (exit 1)"

# 4. The step replayed on the clean nights (harness/step_power.h), beside the live trials.
clean_nights=$(find "$out/clean" -name 'keep-*.csv' | wc -l)
if ((clean_nights >= 12)); then
  echo
  echo "4. $case_name +$step% replayed on the $clean_nights clean nights (ptebench history power):"
  "$ptebench" history power --history "$out/clean/history.csv" --case "$case_name" --step "$step" ||
    die "history power over $out/clean/history.csv failed"
fi
