// Tests for harness/night_series: nightly levels (median log values) and the leave-one-out
// common factor of each night, on synthetic nights with known factors and one case's step.
#include "harness/night_series.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "tests/harness/test_rows.h"

namespace {

using ptebench::nightly::build_series;
using ptebench::nightly::CaseSeries;
using ptebench::nightly::level_of;
using ptebench::results::Row;

// Case c's row: tests/harness/test_rows.h.
Row row(std::size_t c, double value, std::uint32_t rep, const std::string& metric = "ns_per_pte") {
  return ptebench::test::synthetic_row(c, value, rep, metric);
}

const double kFactor[] = {0.04, -0.06, 0.10, -0.02};  // each night's machine factor (log)

// `cases` cases over 4 nights: case c's value exp(1 + 0.1 c + factor[night]) x (1, 1.01, 0.99)
// for its 3 repetitions (median: the middle one), case 0 with `step` (log) on night 3.
std::vector<std::vector<Row>> nights(std::size_t cases, double step) {
  std::vector<std::vector<Row>> out(4);
  for (std::size_t n = 0; n < 4; ++n) {
    for (std::size_t c = 0; c < cases; ++c) {
      double log_level = 1 + 0.1 * static_cast<double>(c) + kFactor[n];
      if (c == 0 && n == 3) log_level += step;
      std::uint32_t rep = 0;
      for (const double m : {1.0, 1.01, 0.99})
        out[n].push_back(row(c, std::exp(log_level) * m, rep++));
    }
  }
  return out;
}

std::vector<CaseSeries> series_of(const std::vector<std::vector<Row>>& n) {
  std::vector<const std::vector<Row>*> p;
  for (const auto& night : n) p.push_back(&night);
  return build_series(p, {"ns_per_pte"});
}

// 10 nights, 25 cases: cases 1-24 follow `factor` on every night; case 0 rises 0.6 (log) on
// night 0 and does not follow the factor otherwise.
std::vector<std::vector<Row>> cold_case_nights(const double (&factor)[10]) {
  std::vector<std::vector<Row>> n(10);
  for (std::size_t night = 0; night < 10; ++night)
    for (std::size_t c = 0; c < 25; ++c) {
      const double log_level =
          1 + 0.1 * static_cast<double>(c) + (c == 0 ? (night == 0 ? 0.6 : 0.0) : factor[night]);
      n[night].push_back(row(c, std::exp(log_level), 0));
    }
  return n;
}

}  // namespace

TEST_CASE("night_series: a level is the median log value, none with a value <= 0") {
  const std::vector<double> v = {2.0, 8.0, 4.0};
  CHECK(level_of(v) == Approx(std::log(4.0)).epsilon(1e-15));
  CHECK(std::isnan(level_of(std::vector<double>{1.0, 0.0, 2.0})));
  CHECK(std::isnan(level_of(std::vector<double>{})));
}

TEST_CASE("night_series: each night's common factor removed, one case's step left intact") {
  const double mean_factor = (0.04 - 0.06 + 0.10 - 0.02) / 4;
  const double step = std::log(1.05);
  const auto s = series_of(nights(25, step));
  REQUIRE(s.size() == 25);
  for (std::size_t c = 0; c < 25; ++c) {
    INFO("case " << c);
    REQUIRE(s[c].levels.size() == 4);
    for (std::size_t n = 0; n < 4; ++n) {
      // Every night's factor, relative to the case's mean, is removed exactly: the case's
      // level is 1 + 0.1 c + the mean factor, case 0 keeps its whole step on night 3.
      const double expected =
          1 + 0.1 * static_cast<double>(c) + mean_factor + (c == 0 && n == 3 ? step : 0);
      CHECK(s[c].levels[n] == Approx(expected).margin(1e-12));
      CHECK(s[c].factors[n] == Approx(kFactor[n] - mean_factor).margin(1e-12));
    }
  }
  CHECK(s[0].tonight_median == Approx(std::exp(1 + kFactor[3] + step)).epsilon(1e-12));
}

TEST_CASE("night_series: no factor from fewer than 20 other cases") {
  const auto s = series_of(nights(20, 0));  // 19 others per case
  REQUIRE(s.size() == 20);
  for (const CaseSeries& c : s) {
    for (std::size_t n = 0; n < 4; ++n) CHECK(c.factors[n] == 0);
  }
  CHECK(s[3].levels[2] == Approx(1 + 0.3 + kFactor[2]).margin(1e-12));
}

TEST_CASE("night_series: only tonight's cases and the metrics asked for, gaps skipped") {
  auto n = nights(25, 0);
  n[3].push_back(row(0, 5.0, 0, "task_clock_ns"));  // another metric: not judged
  // Case 24 is missing on night 1: its series has nights 0, 2, 3.
  std::erase_if(n[1], [](const Row& r) { return r.workload == "w124"; });
  // Case 23 has a value <= 0 tonight: no series.
  for (Row& r : n[3])
    if (r.workload == "w123") r.value = 0;
  const auto s = series_of(n);
  REQUIRE(s.size() == 24);
  for (const CaseSeries& c : s) CHECK(c.metric == "ns_per_pte");
  CHECK(s.back().key.workload == "w124");
  CHECK(s.back().nights == std::vector<std::size_t>{0, 2, 3});
}

TEST_CASE("night_series: each case removes the factor times its own loading") {
  // 8 nights, 25 cases; cases 1-24 move with the machine's factor, case 0 with `response` of it
  // (0: a case the machine does not move, 0.5, 1), and case 0 steps +5% on night 7. The
  // loading is its slope on the factor over the 5 reference nights (the last 3 are under test),
  // so the step does not bend it, and each level is then the case's own, the step kept whole.
  const double factor[] = {0.04, -0.06, 0.10, -0.02, 0.07, -0.03, 0.05, -0.08};
  const double step = std::log(1.05);
  for (const double response : {0.0, 0.5, 1.0}) {
    INFO("response " << response);
    std::vector<std::vector<Row>> n(8);
    for (std::size_t night = 0; night < 8; ++night)
      for (std::size_t c = 0; c < 25; ++c) {
        double log_level = 1 + 0.1 * static_cast<double>(c) +
                           (c == 0 ? response : 1.0) * factor[night] +
                           (c == 0 && night == 7 ? step : 0);
        n[night].push_back(row(c, std::exp(log_level), 0));
      }
    const auto s = series_of(n);
    REQUIRE(s.size() == 25);
    CHECK(s[0].loading == Approx(response).margin(1e-9));
    CHECK(s[1].loading == Approx(1).margin(1e-9));
    // Case 0's levels after removal: flat up to night 6, the step whole on night 7.
    for (std::size_t night = 1; night < 8; ++night)
      CHECK(s[0].levels[night] - s[0].levels[0] == Approx(night == 7 ? step : 0).margin(1e-9));
  }
}

TEST_CASE("night_series: a loading needs 5 reference nights - the whole factor before that") {
  const auto s = series_of(nights(25, 0));  // 4 nights: 1 reference night
  for (const CaseSeries& c : s) CHECK(c.loading == 1);
}

TEST_CASE("night_series: a night far outside the others' factor does not set a loading") {
  // 10 nights, 25 cases; night 0 ran cold (factor 0.30, the others within +-0.03). Cases 1-24
  // follow the factor on every night; case 0 rises 0.6 on the cold night and does not follow the
  // factor otherwise (this VM's none_scan on a fresh history's first night, 2026-12-04). Fitted
  // over all 7 reference nights its slope is 1.93; the cold night left out (its factor is 10.1
  // robust standard deviations from the median of the window's 10), it is 0, and the small factor
  // of the nights under test is not removed from a case it does not move.
  const double factor[] = {0.30, 0.01, -0.02, 0.03, -0.01, 0.02, -0.03, 0.015, -0.025, -0.02};
  const auto s = series_of(cold_case_nights(factor));
  REQUIRE(s.size() == 25);
  CHECK(s[0].loading == Approx(0).margin(1e-9));
  CHECK(s[1].loading == Approx(1).margin(1e-9));  // the cold night left out, the slope is still 1
  for (std::size_t night = 1; night < 10; ++night) {
    INFO("night " << night);
    CHECK(s[0].levels[night] == Approx(1).margin(1e-9));  // as measured: nothing removed
    CHECK(s[1].levels[night] - s[1].levels[1] == Approx(0).margin(1e-9));
  }
}

TEST_CASE("night_series: a far night in the state the nights under test are in is kept") {
  // As above, but the machine is in two states: nights 0 and 4 and the 3 nights under test at a
  // factor near 0.3, the rest near 0. Among the reference nights alone nights 0 and 4 are far
  // outside (3.5 robust sd is 0.21, they are 0.28 and 0.26 from the median); with the nights
  // under test they are not, and all 7 reference nights set the loading, the case's
  // least-squares slope over them (1.066; 0 with nights 0 and 4 left out).
  const double factor[] = {0.30, 0.01, -0.02, 0.03, 0.28, 0.02, -0.03, 0.30, 0.29, 0.31};
  double mean_f = 0, mean_l = 0;
  for (std::size_t night = 0; night < 7; ++night)
    mean_f += factor[night] / 7, mean_l += (night == 0 ? 0.6 : 0.0) / 7;
  double sff = 0, sfl = 0;
  for (std::size_t night = 0; night < 7; ++night) {
    sff += (factor[night] - mean_f) * (factor[night] - mean_f);
    sfl += (factor[night] - mean_f) * ((night == 0 ? 0.6 : 0.0) - mean_l);
  }
  const auto s = series_of(cold_case_nights(factor));
  REQUIRE(s.size() == 25);
  CHECK(s[0].loading == Approx(sfl / sff).margin(1e-9));
  CHECK(s[1].loading == Approx(1).margin(1e-9));
}
