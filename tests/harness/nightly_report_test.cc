// Tests for harness/nightly_report: the whole run's series and its judgement (what the cases'
// series remove as the machine's state), on synthetic nights.
#include "harness/nightly_report.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "harness/drift.h"
#include "harness/night_series.h"
#include "tests/harness/test_rows.h"

namespace {

using ptebench::results::Row;

// `cases` cases over 13 nights: case c's value exp(1 + 0.1 c + machine[i] + its own noise (sd
// 0.3%)), the machine moving by sd 1% a night; every case times `step` on the last two nights.
std::vector<std::vector<Row>> nights_of(std::size_t cases, double step) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> unit(0, 1);
  std::vector<std::vector<Row>> nights(13);
  for (std::size_t i = 0; i < 13; ++i) {
    const double machine = 0.01 * unit(rng);
    for (std::size_t c = 0; c < cases; ++c) {
      const double value =
          std::exp(1 + 0.1 * static_cast<double>(c) + machine + 0.003 * unit(rng)) *
          (i >= 11 ? step : 1);
      Row r = ptebench::test::synthetic_row(c, value);
      r.run_id = "night-" + std::to_string(i);
      nights[i].push_back(r);
    }
  }
  return nights;
}

ptebench::nightly::NightReport replay(const std::vector<std::vector<Row>>& nights,
                                      std::vector<ptebench::nightly::CaseSeries>& series) {
  std::vector<const std::vector<Row>*> pointers;
  std::vector<std::string> ids;
  for (const auto& n : nights) pointers.push_back(&n), ids.push_back(n.front().run_id);
  ptebench::nightly::JudgeOptions options;
  options.window = 20;  // nightly's and history judge's default: every night here
  return ptebench::nightly::replay_night(pointers, ids, "ns_per_pte", options, series);
}

}  // namespace

TEST_CASE("whole run levels: each night's median deviation, from cases with every night") {
  // 30 cases moving with a known factor exactly: the whole run's levels are the factor less its
  // mean.
  const double factor[4] = {0.04, -0.06, 0.10, -0.02};  // mean 0.015
  std::vector<std::vector<Row>> nights(4);
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t c = 0; c < 30; ++c)
      nights[i].push_back(
          ptebench::test::synthetic_row(c, std::exp(1 + 0.1 * static_cast<double>(c) + factor[i])));
  nights[1].pop_back();  // case 29 misses night 1: left out of the whole run
  std::vector<const std::vector<Row>*> pointers;
  for (const auto& n : nights) pointers.push_back(&n);
  const auto series = ptebench::nightly::build_series(pointers, {"ns_per_pte"}, 3, 0);
  const std::vector<double> whole = ptebench::nightly::whole_run_levels(series, "ns_per_pte", 4);
  REQUIRE(whole.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) CHECK(whole[i] == Approx(factor[i] - 0.015).margin(1e-12));
  CHECK(ptebench::nightly::whole_run_levels(series, "task_clock_ns", 4).empty());
  // Too few cases to tell the machine's state: none.
  std::vector<ptebench::nightly::CaseSeries> few(series.begin(),
                                                 series.begin() + ptebench::drift::kMinCases);
  CHECK(ptebench::nightly::whole_run_levels(few, "ns_per_pte", 4).empty());
}

TEST_CASE("nightly report: a change of every case is the whole run's, reported and no alarm") {
  // Every case +20% on the last two nights: the cases' series remove it as the machine's state
  // (no case confirmed, exit 0); the whole run's series shows it, confirmed at +20%.
  std::vector<ptebench::nightly::CaseSeries> series;
  const auto report = replay(nights_of(40, 1.2), series);
  REQUIRE(report.whole_run_judged);
  CHECK(report.night.exit_code() == 0);
  CHECK(report.night.confirmed_regressions.empty());
  CHECK(report.whole_run.state == ptebench::nightly::State::regression);
  CHECK(report.whole_run.ratio == Approx(1.2).margin(0.02));
  CHECK(report.whole_run.nights_after == 2);
  const std::string line = ptebench::nightly::whole_run_line(report);
  INFO(line);
  CHECK(line.starts_with("whole run +"));
  CHECK(line.find("over 2 nights, confirmed as a change") != std::string::npos);
  CHECK(line.find("not an alarm") != std::string::npos);
  std::ostringstream text;
  ptebench::nightly::write_night_report(text, report, false);
  CHECK(text.str().find("- " + line + "\n") != std::string::npos);

  // Without the step: stable, its change and interval given.
  std::vector<ptebench::nightly::CaseSeries> calm_series;
  const auto calm = replay(nights_of(40, 1.0), calm_series);
  CHECK(calm.whole_run.state == ptebench::nightly::State::stable);
  CHECK(ptebench::nightly::whole_run_line(calm).starts_with("whole run stable ("));
  // Too few cases, or collecting history: no line.
  std::vector<ptebench::nightly::CaseSeries> few_series;
  CHECK_FALSE(replay(nights_of(15, 1.2), few_series).whole_run_judged);
  const auto young = nights_of(40, 1.0);
  std::vector<ptebench::nightly::CaseSeries> young_series;
  CHECK(ptebench::nightly::whole_run_line(
            replay(std::vector<std::vector<Row>>(young.begin(), young.begin() + 6), young_series))
            .empty());
}
