// Tests for harness/step_power: a step injected into one case of stored nights, each stepped
// night judged as nightly judges it, on synthetic nights with known noise.
#include "harness/step_power.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "tests/harness/test_rows.h"

namespace {

using ptebench::nightly::JudgeOptions;
using ptebench::nightly::State;
using ptebench::nightly::step_power;
using ptebench::nightly::StepPower;
using ptebench::results::Row;

// `nights` nights of 40 cases: case c's value exp(1 + 0.1 c + machine[i] + its own noise, sd
// 0.5%), the machine's state a common factor with sd 1% a night. A second metric (instructions
// per PTE, constant 100) beside ns_per_pte.
std::vector<std::vector<Row>> nights_of(std::size_t nights) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> unit(0, 1);
  std::vector<std::vector<Row>> out(nights);
  for (std::size_t i = 0; i < nights; ++i) {
    const double machine = 0.01 * unit(rng);
    for (std::size_t c = 0; c < 40; ++c) {
      Row r = ptebench::test::synthetic_row(
          c, std::exp(1 + 0.1 * static_cast<double>(c) + machine + 0.005 * unit(rng)));
      r.run_id = "night-" + std::to_string(i);
      out[i].push_back(r);
      Row instructions = ptebench::test::synthetic_row(c, 100, 0, "instructions_per_pte");
      instructions.run_id = r.run_id;
      out[i].push_back(instructions);
    }
  }
  return out;
}

StepPower power_of(const std::vector<std::vector<Row>>& nights, std::size_t c, double step_pct,
                   std::size_t after = 2) {
  std::vector<const std::vector<Row>*> pointers;
  std::vector<std::string> ids;
  for (const auto& n : nights) pointers.push_back(&n), ids.push_back(n.front().run_id);
  JudgeOptions options;
  options.window = 20;  // history judge's default
  return step_power(pointers, ids, "ns_per_pte", ptebench::results::case_key(nights[0][2 * c]),
                    step_pct, after, options);
}

}  // namespace

TEST_CASE("with_step: the case's values of the metric multiplied, nothing else") {
  const std::vector<std::vector<Row>> nights = nights_of(1);
  const std::vector<Row> stepped = ptebench::nightly::with_step(
      nights[0], ptebench::results::case_key(nights[0][6]), "ns_per_pte", 1.05);
  REQUIRE(stepped.size() == nights[0].size());
  for (std::size_t k = 0; k < stepped.size(); ++k) {
    // Row 6 is case 3's ns_per_pte; row 7 its instructions, untouched.
    CHECK(stepped[k].value == (k == 6 ? nights[0][k].value * 1.05 : nights[0][k].value));
    CHECK(stepped[k].workload == nights[0][k].workload);
  }
}

TEST_CASE("step power: a step of 20 sd in a steady case is confirmed on its second night") {
  // 15 nights, 10 needed before a step, 2 stepped nights: placements from night 11 (index 10) to
  // night 14 (index 13, stepped with 14), 4 of them.
  const std::vector<std::vector<Row>> nights = nights_of(15);
  const StepPower power = power_of(nights, 5, 10);
  REQUIRE(power.placements.size() == 4);
  CHECK(power.confirmed == 4);
  CHECK(power.suspected == 4);
  for (std::size_t k = 0; k < 4; ++k) {
    const auto& p = power.placements[k];
    CHECK(p.first == 10 + k);
    REQUIRE(p.judged.size() == 2);
    // One night is at most a suspect; the second confirms.
    CHECK(p.judged[0].state == State::suspect);
    CHECK(p.judged[1].state == State::regression);
    REQUIRE(p.confirmed_on.has_value());
    CHECK(*p.confirmed_on == 1);
    CHECK(p.judged[1].ratio == Approx(1.10).margin(0.01));
    CHECK(p.other_regressions.empty());
    CHECK(p.other_improvements.empty());
  }
  // The stored nights themselves are not changed: a second replay gives the same answer.
  const StepPower again = power_of(nights, 5, 10);
  CHECK(again.confirmed == 4);
  CHECK(again.placements[0].judged[1].ratio == power.placements[0].judged[1].ratio);
}

TEST_CASE(
    "step power: a speed-up is confirmed as an improvement, a step below the threshold never") {
  const std::vector<std::vector<Row>> nights = nights_of(13);
  const StepPower faster = power_of(nights, 7, -10);
  REQUIRE(faster.placements.size() == 2);
  CHECK(faster.confirmed == 2);
  CHECK(faster.placements[0].judged[1].state == State::improvement);
  CHECK(faster.placements[0].judged[1].ratio == Approx(0.90).margin(0.01));
  // 1% is 2 sd of the case's own noise, and below the 2% threshold: no verdict.
  const StepPower small = power_of(nights, 7, 1);
  REQUIRE(small.placements.size() == 2);
  CHECK(small.confirmed == 0);
  CHECK(small.suspected == 0);
  CHECK(small.placements[1].judged[1].state == State::stable);
}

TEST_CASE("step power: one stepped night is at most a suspect, too few nights give no placement") {
  const std::vector<std::vector<Row>> nights = nights_of(13);
  const StepPower one = power_of(nights, 5, 10, 1);
  REQUIRE(one.placements.size() == 3);  // nights 11, 12 and 13
  CHECK(one.confirmed == 0);
  CHECK(one.suspected == 3);
  CHECK(power_of(nights_of(11), 5, 10).placements.empty());  // 10 before + 2 stepped: 12 needed
}

TEST_CASE("step powers: each case in turn, in the order given, the same on two threads as on one") {
  const std::vector<std::vector<Row>> nights = nights_of(13);
  std::vector<const std::vector<Row>*> pointers;
  std::vector<std::string> ids;
  for (const auto& n : nights) pointers.push_back(&n), ids.push_back(n.front().run_id);
  JudgeOptions options;
  options.window = 20;
  std::vector<ptebench::results::CaseKey> keys;
  for (const std::size_t c : {9, 2, 30})
    keys.push_back(ptebench::results::case_key(nights[0][2 * c]));
  const auto one =
      ptebench::nightly::step_powers(pointers, ids, "ns_per_pte", keys, 10, 2, options, 1);
  const auto two =
      ptebench::nightly::step_powers(pointers, ids, "ns_per_pte", keys, 10, 2, options, 2);
  REQUIRE(one.size() == 3);
  REQUIRE(two.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    const StepPower alone = power_of(nights, i == 0 ? 9 : i == 1 ? 2 : 30, 10);
    CHECK(one[i].confirmed == 2);
    REQUIRE(one[i].placements.size() == alone.placements.size());
    REQUIRE(two[i].placements.size() == alone.placements.size());
    for (std::size_t p = 0; p < alone.placements.size(); ++p) {
      CHECK(one[i].placements[p].judged[1].ratio == alone.placements[p].judged[1].ratio);
      CHECK(two[i].placements[p].judged[1].ratio == alone.placements[p].judged[1].ratio);
      CHECK(two[i].placements[p].judged[1].p == alone.placements[p].judged[1].p);
    }
  }
}
