// The one Catch2 main shared by every test executable. A run in which nothing failed but a
// test called PTEBENCH_SKIP exits 77, which ctest reports as skipped (tests/skip.h).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "skip.h"

namespace ptebench::test {
namespace {
bool g_skipped = false;
}  // namespace
void mark_skipped() {
  g_skipped = true;
}
bool was_skipped() {
  return g_skipped;
}
}  // namespace ptebench::test

// The self-test of the mechanism, hidden (run only by name, by the ctest test
// "catch_main:skip_exits_77" in tests/CMakeLists.txt).
TEST_CASE("a skipped test exits 77", "[.skip_selftest]") {
  PTEBENCH_SKIP("the self-test of tests/skip.h");
}

int main(int argc, char* argv[]) {
  const int failed = Catch::Session().run(argc, argv);
  if (failed == 0 && ptebench::test::was_skipped()) return ptebench::test::kSkipExitCode;
  return failed;
}
