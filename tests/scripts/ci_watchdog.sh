#!/usr/bin/env bash
# The CI's stray-process watchdog (ci_reap_stray, scripts/ci-common.sh) against real processes
# and a fake `ps` on PATH that gives their ages:
#   reap   of four sleeping processes, the one whose command line matches the pattern and whose
#          age is past the limit is killed, with one line naming it; one that matches but is
#          younger, one that matches with an age above the machine's uptime (the wrapped age
#          `ps` gave a just-started test in CI of 2026-12-06 22:43) and one past the limit that
#          does not match live on; a watchdog whose starting script has ended ends too.
# Usage: ci_watchdog.sh REPO_ROOT
set -euo pipefail
root=$1
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# shellcheck source=../../scripts/ci-common.sh
source "$root/scripts/ci-common.sh"

for _ in 1 2 3 4; do
  sleep 300 &
  pids+=("$!")
  disown # no "Killed" from bash when the test kills them
done
stray=${pids[0]} young=${pids[1]} wrapped=${pids[2]} other=${pids[3]}
# The fake ps lists only processes still alive, as the real one does.
mkdir "$tmp/bin"
cat >"$tmp/bin/ps" <<PS
#!/usr/bin/env bash
line() { kill -0 "\$1" 2>/dev/null && echo "\$*"; return 0; }
line $stray 500 qemu-aarch64 /ci/build-arm64/tests/stray_test
line $young 5 qemu-aarch64 /ci/build-arm64/tests/young_test
line $wrapped 4123168608 qemu-aarch64 /ci/build-arm64/tests/wrapped_test
line $other 500 /usr/bin/some-daemon
PS
chmod +x "$tmp/bin/ps"

PATH="$tmp/bin:$PATH" ci_reap_stray t 60 'qemu-aarch64 .*/ci/build-arm64/' >"$tmp/log" &
pids+=("$!")
disown
# It looks every 10 s: give it up to 40 s to kill the stray, then one more round.
for _ in $(seq 40); do
  kill -0 "$stray" 2>/dev/null || break
  sleep 1
done
! kill -0 "$stray" 2>/dev/null || fail "the stray (pid $stray, 500 s, limit 60 + 30 s) still runs"
sleep 11
for p in "$young" "$wrapped" "$other"; do
  kill -0 "$p" 2>/dev/null || fail "pid $p was killed: $(cat "$tmp/log")"
done
expected="[t] watchdog: killed pid $stray after 500 s: qemu-aarch64 /ci/build-arm64/tests/stray_test"
[ "$(cat "$tmp/log")" = "$expected" ] || fail "the watchdog's log is not one line naming the stray: $(cat "$tmp/log")"
echo "reap: killed the stray alone: $(cat "$tmp/log")"

# A watchdog ends with the script that started it ($$ inside its subshell is that script).
bash -c "source '$root/scripts/ci-common.sh'; ci_reap_stray t 60 nothing-matches & echo \$! >'$tmp/pid'"
orphan=$(cat "$tmp/pid")
pids+=("$orphan")
for _ in $(seq 30); do
  kill -0 "$orphan" 2>/dev/null || break
  sleep 1
done
! kill -0 "$orphan" 2>/dev/null || fail "the watchdog (pid $orphan) outlived its starting script by 30 s"
echo "reap: the watchdog ended with its starting script"
