// Tests for harness/drift: the leave-one-out median, repetition factors and the common shift on
// constructed values whose answers follow by hand (stated at each check).
#include "harness/drift.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace {

using ptebench::drift::CaseSamples;
using ptebench::drift::common_shift;
using ptebench::drift::kMinCases;
using ptebench::drift::median_without;
using ptebench::drift::repetition_factors;

// `cases` cases x `blocks` blocks: value = (1 + c) * exp(block_log[b]) * bump(c, b).
struct Grid {
  std::vector<std::vector<double>> values;
  std::vector<std::vector<std::uint32_t>> blocks;
  std::vector<CaseSamples> samples() const {
    std::vector<CaseSamples> out;
    for (std::size_t c = 0; c < values.size(); ++c) out.push_back({values[c], blocks[c]});
    return out;
  }
};

Grid make_grid(std::size_t cases, const std::vector<double>& block_log) {
  Grid g;
  g.values.resize(cases);
  g.blocks.resize(cases);
  for (std::size_t c = 0; c < cases; ++c) {
    for (std::size_t b = 0; b < block_log.size(); ++b) {
      g.values[c].push_back(static_cast<double>(1 + c) * std::exp(block_log[b]));
      g.blocks[c].push_back(static_cast<std::uint32_t>(b));
    }
  }
  return g;
}

}  // namespace

TEST_CASE("median_without: the median of the others", "[drift]") {
  const std::vector<double> odd{1, 2, 3, 4, 5};
  CHECK(median_without(odd, 0) == 3.5);  // {2, 3, 4, 5}
  CHECK(median_without(odd, 2) == 3);    // {1, 2, 4, 5}
  CHECK(median_without(odd, 4) == 2.5);  // {1, 2, 3, 4}
  const std::vector<double> even{1, 2, 3, 10};
  CHECK(median_without(even, 0) == 3);  // {2, 3, 10}
  CHECK(median_without(even, 1) == 3);  // {1, 3, 10}
  CHECK(median_without(even, 3) == 2);  // {1, 2, 3}
  CHECK(median_without(std::vector<double>{7, 9}, 0) == 9);
}

TEST_CASE("repetition factors: a common movement per block is found and removed", "[drift]") {
  // Every case moves by block_log[b] in block b. A case's reference is the median of its logs,
  // log(1 + c) + median(block_log) = log(1 + c) + 0.01 (the sorted block logs are -0.04, -0.01,
  // 0.01, 0.02, 0.03: median 0.01), so every deviation in block b is block_log[b] - 0.01 and so
  // is every factor: removing them leaves each case at (1 + c) * exp(0.01) in every block.
  const std::vector<double> block_log{0.03, -0.04, 0.01, 0.02, -0.01};
  Grid g = make_grid(kMinCases + 1, block_log);
  const auto f = repetition_factors(g.samples());
  CHECK(f.blocks == 5);
  CHECK(f.blocks_corrected == 5);
  CHECK(f.max_abs_log_factor == Approx(0.05));
  for (std::size_t c = 0; c < g.values.size(); ++c) {
    for (std::size_t b = 0; b < block_log.size(); ++b) {
      INFO("case " << c << " block " << b);
      CHECK(f.log_factor[c][b] == Approx(block_log[b] - 0.01).margin(1e-12));
      const double corrected = g.values[c][b] / std::exp(f.log_factor[c][b]);
      CHECK(corrected == Approx(static_cast<double>(1 + c) * std::exp(0.01)).epsilon(1e-12));
    }
  }
}

TEST_CASE("repetition factors: a case's own change is never removed from it", "[drift]") {
  // 21 cases, level in blocks 0, 1, 3, 4; in block 2 cases 1..10 are 2% up, cases 11..20 2%
  // down, and case 0 is 10% up on its own. Every reference (median of five logs, four of them
  // 0) is 0, so the deviations in block 2 are the block-2 logs themselves.
  //  - case 0: the others are ten +l2 and ten -l2, median 0: its 10% stays whole. Had its own
  //    value been counted, the median of 21 would be +l2 and 2% of its change would go.
  //  - case 1 (+l2): without it, ten -l2, nine +l2 and log 1.1: median (-l2 + l2) / 2 = 0.
  //  - case 11 (-l2): without it, nine -l2, ten +l2 and log 1.1: median (l2 + l2) / 2 = l2.
  Grid g = make_grid(kMinCases + 1, {0, 0, 0, 0, 0});
  const double l2 = std::log(1.02);
  for (std::size_t c = 1; c <= 20; ++c) g.values[c][2] *= std::exp(c <= 10 ? l2 : -l2);
  g.values[0][2] *= 1.1;
  const auto f = repetition_factors(g.samples());
  CHECK(f.log_factor[0][2] == Approx(0).margin(1e-12));
  CHECK(f.log_factor[1][2] == Approx(0).margin(1e-12));
  CHECK(f.log_factor[11][2] == Approx(l2));
  for (std::size_t b : {0, 1, 3, 4}) CHECK(f.log_factor[0][b] == 0);  // level blocks
}

TEST_CASE("repetition factors: too few cases, values <= 0 and short cases", "[drift]") {
  SECTION("kMinCases cases: nothing is estimated") {
    Grid g = make_grid(kMinCases, {0.05, -0.05, 0, 0, 0});
    const auto f = repetition_factors(g.samples());
    CHECK(f.blocks == 5);
    CHECK(f.blocks_corrected == 0);
    for (const auto& per_case : f.log_factor) {
      for (const double x : per_case) CHECK(x == 0);
    }
  }
  SECTION(
      "a zero value has no log and keeps factor 0; a case with 2 positive values does not "
      "contribute") {
    Grid g = make_grid(kMinCases + 2, {0.05, -0.05, 0, 0, 0});
    g.values[0][1] = 0;
    g.values[1] = {0, 0, 0, 3, 4};  // two positive values
    const auto f = repetition_factors(g.samples());
    CHECK(f.log_factor[0][1] == 0);
    // Case 1 has no factor even where it has a value; block 0 still has 21 contributors (case
    // 0 and 2..21), each of which sees 20 others moved by 0.05: factor 0.05.
    CHECK(f.log_factor[1][3] == 0);
    CHECK(f.log_factor[1][4] == 0);
    CHECK(f.log_factor[2][0] == Approx(0.05));
    // Block 1 has 20 contributors (case 0 is 0 there, case 1 does not contribute): each sees
    // only 19 others, so block 1 is left as measured.
    CHECK(f.log_factor[2][1] == 0);
    CHECK(f.blocks == 5);
    CHECK(f.blocks_corrected == 4);
  }
}

TEST_CASE("common shift: the median of the other cases' changes", "[drift]") {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  SECTION("30 cases moved by -3%, three of them also changed on their own") {
    std::vector<double> changes(30, std::log(0.97));
    changes[0] = std::log(0.97 * 1.05);
    changes[1] = std::log(0.97 * 1.2);
    changes[2] = std::log(0.97 * 0.9);
    changes.push_back(kNaN);  // a case that does not contribute gets the median of all
    const auto s = common_shift(changes);
    CHECK(s.cases == 30);
    CHECK(s.estimated);
    CHECK(s.log_median == Approx(std::log(0.97)));
    // Without any one case, 29 values of which at least 26 are log 0.97: median log 0.97.
    for (const double x : s.log_shift) CHECK(x == Approx(std::log(0.97)));
    // So case 0 keeps its own +5% once the common shift is removed.
    CHECK(std::exp(changes[0] - s.log_shift[0]) == Approx(1.05));
  }
  SECTION("a case's own change is left out of the shift removed from it") {
    // 21 cases: ten unchanged, ten +2%, one +10%. Without the +10% case the others' median is
    // (0 + l2) / 2; with it (the median of all 21) it would be l2.
    const double l2 = std::log(1.02);
    std::vector<double> changes(10, 0.0);
    changes.resize(20, l2);
    changes.push_back(std::log(1.1));
    const auto s = common_shift(changes);
    CHECK(s.log_median == Approx(l2));
    CHECK(s.log_shift[20] == Approx(l2 / 2));
    CHECK(s.log_shift[0] == Approx(l2));       // without a 0: nine 0, ten l2, log 1.1
    CHECK(s.log_shift[10] == Approx(l2 / 2));  // without an l2: ten 0, nine l2, log 1.1
  }
  SECTION("kMinCases contributing cases: the median is reported but nothing is removed") {
    std::vector<double> changes(kMinCases, 0.02);
    auto s = common_shift(changes);
    CHECK_FALSE(s.estimated);
    CHECK(s.log_median == Approx(0.02));
    for (const double x : s.log_shift) CHECK(x == 0);
    changes.push_back(0.02);
    s = common_shift(changes);
    CHECK(s.estimated);
    for (const double x : s.log_shift) CHECK(x == Approx(0.02));
  }
  SECTION("no contributing case") {
    const auto s = common_shift(std::vector<double>{kNaN, kNaN});
    CHECK(s.cases == 0);
    CHECK_FALSE(s.estimated);
    CHECK(s.log_median == 0);
  }
}
