#!/usr/bin/env bash
# arm64 without an arm64 machine: cross-builds everything (workloads, harness, bench, tests)
# with Debian's aarch64 toolchain and the arm64 multiarch libraries
# (cmake/toolchains/aarch64-linux-gnu.cmake), then runs the whole ctest suite under
# qemu-aarch64, which the toolchain file makes ctest's emulator.
#
# Under qemu-user, perf_event_open is not emulated (counters SKIP as on a VM without a PMU), and
# /proc and /sys describe the x86_64 host; tests that depend on either must SKIP, not fail.
#
# Build directory: $PTEBENCH_ARM64_BUILD_DIR (default build-arm64). Bounded by
# $PTEBENCH_ARM64_TIMEOUT_S (default 2400 s) in all.
set -euo pipefail
source "$(dirname "$0")/ci-common.sh"
ci_bound_self "${PTEBENCH_ARM64_TIMEOUT_S:-2400}" arm64 "$@"
cd "$ptebench_root"

build_dir=${PTEBENCH_ARM64_BUILD_DIR:-build-arm64}
scripts/install-deps.sh --arm64
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPTEBENCH_TESTS=ON \
  -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake "$@"
cmake --build "$build_dir" -j "$ptebench_jobs"
ci_log arm64 "built: $(readelf -h "$build_dir/bench/ptebench" | grep -o "Machine:.*" | tr -s " ")"
# Emulated tests are CPU-bound in qemu, so both cores run them; each gets 2 minutes.
step_timeout_s=120
# Left out under qemu-user, which hangs in them now and then (seen: the child never returns
# from a SIGKILL/abort() while it holds the flock, and the test waits forever; a forked child
# spinning at 100% CPU inside qemu after fork(), where the real child only calls _exit): the
# crash tests that fork a child and kill it or let it abort, concurrent flock appends, the child
# reaper, and every native test that runs the fork op; and compare's reader on two threads (an
# earlier one hung there before its first system call, b512522) and step_powers on two (history
# power --case all on two threads was killed after 154 s here, 2026-12-06). They run in the native
# and sanitizer steps.
qemu_unsafe="concurrent appends all land|killed|aborts the writer|child_process_test|native_fork"
qemu_unsafe+="|every op - several iterations|each op runs|mthp layouts|dropped without finish"
qemu_unsafe+="|reads large files on two threads|the same on two threads as on one"
ci_log arm64 "not run under qemu-user: tests matching '$qemu_unsafe' (run natively)"
# And should another test's child spin: ctest's timeout kills the test, not its forked child,
# which keeps ctest waiting on the output pipe; the watchdog ends emulated processes that
# outlive the per-test bound, naming each.
ci_reap_stray arm64 "$step_timeout_s" "qemu-aarch64 .*$build_dir/" &
watchdog=$!
rc=0
ci_ctest arm64 "$build_dir" "$step_timeout_s" "$ptebench_jobs" -E "$qemu_unsafe" || rc=$?
kill "$watchdog" 2>/dev/null || true
exit "$rc"
