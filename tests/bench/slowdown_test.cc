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

TEST_CASE("spin_ns busy-waits at least the time asked - and nothing for 0 or less") {
  const auto t0 = std::chrono::steady_clock::now();
  const std::int64_t spun_ns = spin_ns(2'000'000);
  const auto waited = std::chrono::steady_clock::now() - t0;
  CHECK(waited >= std::chrono::milliseconds(2));
  CHECK(spun_ns >= 2'000'000);
  CHECK(spin_ns(0) == 0);  // returns at once: no clock read, no wait
  CHECK(spin_ns(-5) == 0);
}
