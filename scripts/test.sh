#!/usr/bin/env bash
# Builds everything and runs the whole test suite: installs what is missing (Debian), configures
# with Ninja into build/ (or $PTEBENCH_BUILD_DIR), builds, and runs ctest, ending with ctest's
# summary line. Extra arguments go to cmake's configure step, e.g. -DPTEBENCH_WERROR=OFF.
# Exit status: ctest's (0 = every test passed).
set -euo pipefail
source "$(dirname "$0")/ci-common.sh"
cd "$ptebench_root"

build_dir=${PTEBENCH_BUILD_DIR:-build}
scripts/install-deps.sh
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPTEBENCH_TESTS=ON "$@"
cmake --build "$build_dir" -j "$ptebench_jobs"
# Serial: native workloads fork and fault in real memory, and a few tests time real work; two
# at once on a two-core machine would make them measure each other.
ci_ctest test "$build_dir" 600 1
