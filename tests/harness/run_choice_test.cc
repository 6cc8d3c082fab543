// The rule a report draws runs by, for a CSV and a database alike: start order keeps equal
// starts as given, the latest run that matches what is given and holds the metric names what is
// not given, and holds_metric is asked of no run before the one chosen.
#include "harness/run_choice.h"

#include <catch2/catch.hpp>
#include <vector>

namespace ptebench::html {
namespace {

TEST_CASE("run_choice: start order, equal starts in the order given") {
  const std::vector<RunHeader> runs = {{"2026-12-02T00:00:00Z", "a", "quick"},
                                       {"2026-12-01T00:00:00Z", "a", "quick"},
                                       {"2026-12-02T00:00:00Z", "b", "quick"},
                                       {"2026-11-30T00:00:00Z", "b", "nightly"}};
  CHECK(start_order(runs) == std::vector<std::size_t>{3, 1, 0, 2});
}

TEST_CASE("run_choice: the latest run that matches and holds the metric names the rest") {
  // In start order: 0 a/quick, 2 a/nightly, 3 b/quick, 1 b/quick (holds no value: an exact pass).
  const std::vector<RunHeader> runs = {{"2026-12-01T00:00:00Z", "a", "quick"},
                                       {"2026-12-04T00:00:00Z", "b", "quick"},
                                       {"2026-12-02T00:00:00Z", "a", "nightly"},
                                       {"2026-12-03T00:00:00Z", "b", "quick"}};
  const std::vector<std::size_t> order = start_order(runs);
  const std::vector<bool> holds = {true, false, true, true};
  std::vector<std::size_t> asked;
  const auto ask = [&](std::size_t i) {
    asked.push_back(i);
    return static_cast<bool>(holds[i]);
  };
  // Nothing given: the latest run is b's exact pass, which holds nothing; the one before is.
  CHECK(latest_drawn(runs, order, "", "", ask) == std::optional<std::size_t>{3});
  CHECK(asked == std::vector<std::size_t>{1, 3});  // from the latest back, no further
  asked.clear();
  CHECK(latest_drawn(runs, order, "a", "", ask) == std::optional<std::size_t>{2});
  CHECK(asked == std::vector<std::size_t>{2});  // b's runs are not asked about
  CHECK(latest_drawn(runs, order, "", "quick", ask) == std::optional<std::size_t>{3});
  CHECK(latest_drawn(runs, order, "a", "quick", ask) == std::optional<std::size_t>{0});
  CHECK_FALSE(latest_drawn(runs, order, "c", "", ask).has_value());
  CHECK_FALSE(latest_drawn(runs, order, "", "", [](std::size_t) { return false; }).has_value());
}

TEST_CASE("run_choice: runs left out are counted, their hosts and suites named once, sorted") {
  LeftOut left;
  left.add("slow", "quick");
  left.add("fast", "nightly", 5);
  left.add("slow", "quick");
  CHECK(left.runs == 7);
  CHECK(std::vector<std::string>(left.others.begin(), left.others.end()) ==
        std::vector<std::string>{"fast, suite nightly", "slow, suite quick"});
}

}  // namespace
}  // namespace ptebench::html
