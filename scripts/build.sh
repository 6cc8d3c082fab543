#!/usr/bin/env bash
# Configures and builds ptebench (Release, Ninja) into build/ — or $PTEBENCH_BUILD_DIR; only the
# target $PTEBENCH_BUILD_TARGET when set (scripts/quick.sh: just the ptebench executable).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PTEBENCH_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)" ${PTEBENCH_BUILD_TARGET:+--target "$PTEBENCH_BUILD_TARGET"}
