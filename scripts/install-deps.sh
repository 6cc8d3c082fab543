#!/usr/bin/env bash
# Installs every package ptebench needs from Debian 12's archive. Idempotent; run as root.
#   scripts/install-deps.sh          native build, tests, sanitizers and fuzzer; the history
#                                    store (SQLite, libpq), the PostgreSQL 15 server and Chromium
#                                    its tests start (they SKIP where these are absent)
#   scripts/install-deps.sh --arm64  also the aarch64 cross toolchain, arm64 libraries, qemu-user
#                                    (no libpq-dev:arm64: Debian's is not co-installable with the
#                                    amd64 one, so the arm64 build has no postgresql:// store)
set -euo pipefail

want_arm64=0
for arg in "$@"; do
  case "$arg" in
    --arm64) want_arm64=1 ;;
    *) echo "install-deps.sh: unknown option '$arg' (known: --arm64)" >&2; exit 2 ;;
  esac
done

native_pkgs=(build-essential cmake ninja-build git pkg-config
             libbenchmark-dev libpfm4-dev libfccp-dev catch2
             clang libclang-rt-14-dev clang-format
             zlib1g-dev valgrind  # zlib1g-dev: tests/harness/noise_data_test reads .csv.gz data
             libsqlite3-dev sqlite3 libpq-dev postgresql-15 chromium
             time)  # /usr/bin/time: scripts/bench-compare.sh (wall time and peak RSS)
arm64_pkgs=(g++-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user
            libbenchmark-dev:arm64 libpfm4-dev:arm64 libstdc++-12-dev:arm64 zlib1g-dev:arm64
            libsqlite3-dev:arm64)

missing=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
for p in "${native_pkgs[@]}"; do have "$p" || missing+=("$p"); done
if [ "$want_arm64" = 1 ]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
  fi
  for p in "${arm64_pkgs[@]}"; do have "$p" || missing+=("$p"); done
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Third-party sources on some images cannot be reached; Debian's own lists are what matter.
apt-get update -q || echo "install-deps: apt-get update reported errors (continuing with the lists it got)" >&2
apt-get install -y -q --no-install-recommends "${missing[@]}"
