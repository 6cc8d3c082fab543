# Cross build for arm64 on a Debian x86_64 host (scripts/install-deps.sh --arm64 installs what
# it needs): Debian's aarch64 cross compiler, the arm64 builds of the libraries through multiarch
# (/usr/lib/aarch64-linux-gnu), and qemu-user to run what was built.
#
#   cmake -S . -B build-arm64 -G Ninja \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
#
# Where things are found, and why:
# - Libraries: Debian's multiarch directory /usr/lib/aarch64-linux-gnu (libbenchmark, libpfm,
#   libc) and the cross toolchain's /usr/aarch64-linux-gnu/lib (libstdc++, libgcc_s). The x86_64
#   directories are ignored outright, so a missing arm64 package is a clear "not found" at
#   configure time rather than a "file in wrong format" at link time.
# - Headers: /usr/include is shared by both architectures (and the cross compiler searches it
#   itself); the arch-specific parts live in /usr/include/aarch64-linux-gnu.
# - Packages: benchmark's config is arch-specific (/usr/lib/aarch64-linux-gnu/cmake/benchmark);
#   Catch2 (header-only) installs its config under /usr/lib/cmake, which serves every arch.
# - Programs (objdump, ninja, the emulator) are host programs.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(PTEBENCH_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${PTEBENCH_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${PTEBENCH_CROSS_TRIPLE}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${PTEBENCH_CROSS_TRIPLE})
# Object-code inspection tests (tests/scripts/) disassemble with the target's objdump.
set(CMAKE_OBJDUMP /usr/bin/${PTEBENCH_CROSS_TRIPLE}-objdump CACHE FILEPATH "objdump for the target")

# "/" stays a root because multiarch libraries live in the host's /usr/lib/<triple>, not in a
# separate sysroot; the ignore list below is what keeps x86_64 files out.
set(CMAKE_FIND_ROOT_PATH /usr/${PTEBENCH_CROSS_TRIPLE} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
list(APPEND CMAKE_IGNORE_PATH /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu
     /usr/include/x86_64-linux-gnu)
list(APPEND CMAKE_IGNORE_PREFIX_PATH /usr/lib/x86_64-linux-gnu)

# ctest and catch_discover_tests run target executables through this. -L makes qemu resolve the
# program interpreter (/lib/ld-linux-aarch64.so.1) and absolute library paths in the cross
# toolchain's tree first; the loader then also searches /usr/lib/aarch64-linux-gnu (multiarch).
# -E tells the tests they are emulated (tests/native/emulator.h): qemu-user passes the host's
# /proc/self/smaps through and takes most madvise() advice as a hint it ignores.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/${PTEBENCH_CROSS_TRIPLE} -E
    PTEBENCH_EMULATOR=qemu-user)
