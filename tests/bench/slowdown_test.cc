#include "bench/runner/slowdown.h"

#include <catch2/catch.hpp>

#include <chrono>

#include "harness/input_error.h"

using namespace ptebench::cli;

TEST_CASE("inject-slowdown parses GLOB=PCT and rejects anything else") {
  const Slowdown s = parse_slowdown("zap_range/x86_64/plain/*=5");
  CHECK(s.glob == "zap_range/x86_64/plain/*");
  CHECK(s.percent == 5.0);
  CHECK(parse_slowdown("a=b=2.5").glob == "a=b");
  REQUIRE_THROWS_AS(parse_slowdown("nopercent"), ptebench::InputError);
  REQUIRE_THROWS_AS(parse_slowdown("=5"), ptebench::InputError);
  REQUIRE_THROWS_AS(parse_slowdown("x=0"), ptebench::InputError);
  REQUIRE_THROWS_AS(parse_slowdown("x=-3"), ptebench::InputError);
  REQUIRE_THROWS_AS(parse_slowdown("x=5%"), ptebench::InputError);
}

TEST_CASE("the last matching rule gives a case its percentage") {
  const std::vector<Slowdown> rules = {{"zap_range/*", 5}, {"zap_range/arm64/*", 10}};
  CHECK(slowdown_percent(rules, "zap_range/x86_64/plain/dense/4096/kernel") == 5);
  CHECK(slowdown_percent(rules, "zap_range/arm64/plain/dense/4096/kernel") == 10);
  CHECK(slowdown_percent(rules, "copy_range/arm64/plain/dense/4096/kernel") == 0);
}

TEST_CASE("spin_share busy-waits its share of the walk - and nothing for 0 percent or less") {
  using Clock = std::chrono::steady_clock;
  // A "walk" of at least 2 ms, then 50% of it: at least 1 ms more.
  const auto walk_start = Clock::now();
  while (Clock::now() - walk_start < std::chrono::milliseconds(2)) {
  }
  const auto walk_end = Clock::now();
  const std::int64_t spun_ns = spin_share(walk_start, 50);
  const auto done = Clock::now();
  CHECK(spun_ns >= 1'000'000);
  CHECK(done - walk_end >= std::chrono::milliseconds(1));
  // The share is of the walk's own time: a walk of 2 ms at 300% spins 6 ms at least.
  CHECK(spin_share(Clock::now() - std::chrono::milliseconds(2), 300) >= 6'000'000);
  CHECK(spin_share(walk_start, 0) == 0);  // returns at once: no clock read, no wait
  CHECK(spin_share(walk_start, -5) == 0);
}
