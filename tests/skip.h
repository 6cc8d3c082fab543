// A SKIP that ctest shows as skipped, not passed. Catch2 v2 has no SKIP: a test that cannot run
// here (no PMU, no perf_event_open, a feature the kernel lacks) says why with WARN, marks the
// process, and returns; tests/catch_main.cc then exits with kSkipExitCode when nothing failed,
// and tests/CMakeLists.txt gives every discovered test SKIP_RETURN_CODE 77. ctest runs each
// TEST_CASE in its own process, so the mark covers exactly the case that skipped.
#pragma once

#include <catch2/catch.hpp>

namespace ptebench::test {

inline constexpr int kSkipExitCode = 77;  // automake's and ctest's convention for SKIP

void mark_skipped();
bool was_skipped();

}  // namespace ptebench::test

// Logs "SKIP: <reason>" and marks the process; the caller returns from the test case.
#define PTEBENCH_SKIP(reason)         \
  do {                                \
    WARN("SKIP: " << reason);         \
    ::ptebench::test::mark_skipped(); \
  } while (false)

// A test case that holds natively only: under qemu-user (the arm64 CI; PTEBENCH_EMULATOR, set by
// tests/CMakeLists.txt, names the emulator, empty in a native build) it logs "SKIP: under
// qemu-user (<emulator>): <reason>" and returns from the test case, as GoogleTest's GTEST_SKIP
// returns.
#define PTEBENCH_SKIP_UNDER_EMULATOR(reason)                                \
  do {                                                                      \
    if (sizeof(PTEBENCH_EMULATOR) > 1) {                                    \
      PTEBENCH_SKIP("under qemu-user (" PTEBENCH_EMULATOR "): " << reason); \
      return;                                                               \
    }                                                                       \
  } while (false)

// A test case that holds in the release build only: in a sanitizer build
// (PTEBENCH_SANITIZE=address,…: cmake/Sanitizers.cmake, scripts/ci-sanitize.sh) it logs "SKIP: in a
// sanitizer build: <reason>; checked in the release build" and returns from the test case.
#if defined(__SANITIZE_ADDRESS__)
#define PTEBENCH_SKIP_IN_SANITIZER_BUILD(reason)                                           \
  do {                                                                                     \
    PTEBENCH_SKIP("in a sanitizer build: " << reason << "; checked in the release build"); \
    return;                                                                                \
  } while (false)
#else
#define PTEBENCH_SKIP_IN_SANITIZER_BUILD(reason) \
  do {                                           \
  } while (false)
#endif
