# Sourced by scripts/test.sh and scripts/ci-*.sh: what every CI step shares.
# Not executable on its own.

# The repository root, whatever the caller's working directory.
ptebench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Builds use every core (CI has two).
ptebench_jobs=$(nproc)

# ci_log <step> <message...>: one prefixed line, so interleaved logs stay attributable.
ci_log() {
  local step=$1
  shift
  printf '[%s] %s\n' "$step" "$*"
}

# ci_ctest_summary <log>: ctest's own summary line ("100% tests passed, 0 tests failed out of
# N"), or nothing when ctest never got that far.
ci_ctest_summary() {
  grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -n 1 || true
}

# ci_ctest_failed_names <log>: nothing when no test failed; else "; failed: " and the names
# from ctest's closing list ("\t 12 - name (Failed)"), joined by " | ", so that the one line CI
# keeps of a step (its recap) says which tests failed, not only how many.
ci_ctest_failed_names() {
  local names
  names=$(sed -n '/^The following tests FAILED:/,$p' "$1" |
    sed -n -E 's/^[[:space:]]+[0-9]+ - (.*) \([^)]*\)[[:space:]]*$/\1/p' | paste -sd '|' - |
    sed 's/|/ | /g')
  [ -z "$names" ] || printf '; failed: %s' "$names"
}

# ci_ctest <step> <build-dir> <per-test-timeout-s> <jobs> [ctest args...]
# Runs ctest showing the output of failing tests, keeps a log in <build-dir>/ci-ctest.log and
# repeats ctest's summary line prefixed with the step, so it stands out in a long CI log.
# Returns ctest's status; a run without a summary line (ctest crashed, found no tests) fails.
ci_ctest() {
  local step=$1 dir=$2 timeout_s=$3 jobs=$4
  shift 4
  local log="$dir/ci-ctest.log" rc=0 summary
  ctest --test-dir "$dir" --output-on-failure --no-tests=error --timeout "$timeout_s" \
    -j "$jobs" "$@" 2>&1 | tee "$log" || rc=$?
  summary=$(ci_ctest_summary "$log")
  if [ -z "$summary" ]; then
    ci_log "$step" "ctest printed no summary (status $rc)"
    [ "$rc" -ne 0 ] || rc=1
  else
    ci_log "$step" "$summary$(ci_ctest_failed_names "$log")"
  fi
  return "$rc"
}

# ci_bound_self <seconds> <step> "$@": called at the top of a CI script, re-runs that script
# under `timeout` (once: a guard variable marks the bounded run) and exits with its status, so
# a hung build or emulated test cannot eat the CI's time limit. 124 means it ran out of time.
ci_bound_self() {
  local limit_s=$1 step=$2
  shift 2
  local guard
  guard="PTEBENCH_CI_BOUNDED_$(basename "$0" .sh | tr -c 'A-Za-z0-9\n' _)"
  [ -z "${!guard:-}" ] || return 0
  export "$guard=1"
  local rc=0
  timeout --kill-after=30 "$limit_s" bash "$0" "$@" || rc=$?
  [ "$rc" -ne 124 ] || ci_log "$step" "FAILED: ran out of its ${limit_s} s time limit"
  exit "$rc"
}

# ci_reap_stray <step> <limit-s> <pattern>: run in the background beside ctest; it ends with the
# script that started it. Every 10 s, kills (with one line naming it) each process whose command
# line matches the extended regex <pattern> and that has run longer than <limit-s> + 30 s: a
# test's forked child that ctest's per-test timeout cannot reach, and that would keep ctest
# waiting on its output pipe. An age above the machine's uptime is no age: `ps` gave a process
# that had just started 4123168608 s (most likely its start a tick after the uptime it read, the
# difference wrapped; CI of 2026-12-06 22:43: cli_test's bad-usage test, killed 0.04 s in), so
# it is skipped.
ci_reap_stray() {
  local step=$1 limit_s=$(($2 + 30)) pattern=$3 pid age args up_s
  # $$ is the starting script even inside this background subshell.
  while sleep 10 && kill -0 "$$" 2>/dev/null; do
    read -r up_s _ </proc/uptime
    up_s=${up_s%.*}
    while read -r pid age args; do
      [ "$age" -gt "$limit_s" ] && [ "$age" -le $((up_s + 60)) ] || continue
      [[ "$args" =~ $pattern ]] || continue
      ci_log "$step" "watchdog: killed pid $pid after ${age} s: $args"
      kill -KILL "$pid" 2>/dev/null || true
    done < <(ps -eo pid=,etimes=,args=)
  done
}
