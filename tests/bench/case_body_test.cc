// Tests bench/runner/case_body's walk calibration: the walks per repetition that fit a case's
// time budget, from one measured (untimed) walk, on numbers worked out by hand.
#include "bench/runner/case_body.h"

#include <catch2/catch.hpp>

using ptebench::cli::calibrated_walks;

TEST_CASE("walks fill the budget - at least 1 - at most the suite's fixed count") {
  // 1 ms a walk (reset included) in a 20 ms budget: 20 walks.
  CHECK(calibrated_walks(1'000'000, 20'000'000, 256) == 20);
  // A machine twice as slow: half the walks, the same time.
  CHECK(calibrated_walks(2'000'000, 20'000'000, 256) == 10);
  // A fast case stops at the fixed count: no more work than a run without a budget.
  CHECK(calibrated_walks(1'000, 20'000'000, 256) == 256);
  // A walk longer than the budget still runs once.
  CHECK(calibrated_walks(50'000'000, 20'000'000, 4) == 1);
  // A walk measured as 0 ns (a coarse clock) is taken as 1 ns: the fixed count.
  CHECK(calibrated_walks(0, 20'000'000, 64) == 64);
}

TEST_CASE("without a budget the fixed count stands") {
  CHECK(calibrated_walks(1'000'000, 0, 256) == 256);
  CHECK(calibrated_walks(1'000'000, -1, 256) == 256);
  CHECK(calibrated_walks(1'000'000, 20'000'000, 1) == 1);
  CHECK(calibrated_walks(1'000'000, 20'000'000, 0) == 1);  // never 0 walks
}
