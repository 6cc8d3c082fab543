// Tests for harness/rerun_levels: which control cases a re-run measures (spread over the eligible
// cases, by the candidates' sizes) and each candidate's level in a re-run (its raw level less its
// loading times the median deviation of the controls of its size), on synthetic series whose raw
// means are known.
#include "harness/rerun_levels.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "tests/harness/test_rows.h"

namespace {

using ptebench::nightly::CaseSeries;
using ptebench::nightly::rerun_controls;
using ptebench::nightly::rerun_levels;
using ptebench::nightly::spread_controls;
using ptebench::results::Row;

// Case c's row (tests/harness/test_rows.h) with `ptes` entries.
Row row(std::size_t c, double value, std::uint64_t ptes) {
  Row r = ptebench::test::synthetic_row(c, value);
  r.ptes = ptes;
  return r;
}

// Series of cases 0..n-1, case c of size ptes_of(c): `nights` levels of 0 with nothing removed
// (a raw mean of 0), loading 1, no further factors.
template <typename PtesOf>
std::vector<CaseSeries> flat_series(std::size_t n, std::size_t nights, PtesOf ptes_of) {
  std::vector<CaseSeries> out(n);
  for (std::size_t c = 0; c < n; ++c) {
    out[c].key = ptebench::results::case_key(row(c, 1, ptes_of(c)));
    out[c].metric = "ns_per_pte";
    out[c].levels.assign(nights, 0);
    out[c].factors.assign(nights, 0);
    out[c].further.assign(nights, 0);
  }
  return out;
}

}  // namespace

TEST_CASE("rerun_levels: controls are spread over the eligible cases") {
  // 111 cases, like the quick suite's, 4 of them candidates (not eligible): 24 controls, one in
  // every 107 / 24 of the eligible ones, the first the first eligible one; not the first 24.
  std::vector<bool> eligible(111, true);
  for (const std::size_t c : {0, 25, 60, 110}) eligible[c] = false;
  std::vector<std::size_t> order;  // the eligible cases' indices
  for (std::size_t c = 0; c < eligible.size(); ++c)
    if (eligible[c]) order.push_back(c);
  REQUIRE(order.size() == 107);
  const std::vector<std::size_t> controls = spread_controls(eligible, 24);
  REQUIRE(controls.size() == 24);
  for (std::size_t k = 0; k < 24; ++k) CHECK(controls[k] == order[k * 107 / 24]);
  CHECK(controls.front() == 1);
  CHECK(controls.back() > 100);  // reaches the last cases of the order
  for (const std::size_t c : controls) CHECK(eligible[c]);
  // Few enough: every eligible case, in order.
  const std::vector<bool> few = {false, true, true, false, true};
  CHECK(spread_controls(few, 24) == std::vector<std::size_t>{1, 2, 4});
  CHECK(spread_controls(few, 3) == std::vector<std::size_t>{1, 2, 4});
  CHECK(spread_controls(few, 2) == std::vector<std::size_t>{1, 2});
  CHECK(spread_controls({}, 24).empty());
}

TEST_CASE("rerun_levels: a re-run measures controls of each candidate's size") {
  // Cases 0-49 walk 4096 entries, 50-99 262144, 100-102 16384 (the native workloads' size);
  // case 7 has too short a history to be a control.
  const auto ptes_of = [](std::size_t c) -> std::uint64_t {
    return c < 50 ? 4096 : c < 100 ? 262144 : 16384;
  };
  std::vector<CaseSeries> series = flat_series(103, 12, ptes_of);
  series[7].levels.resize(5), series[7].factors.resize(5), series[7].further.resize(5);
  const auto count_of = [&](const std::vector<std::size_t>& controls, std::uint64_t ptes) {
    std::size_t n = 0;
    for (const std::size_t c : controls) n += ptes_of(c) == ptes ? 1 : 0;
    return n;
  };
  // One candidate of 4096 entries: 24 controls, all of its size, none a candidate or case 7.
  const std::vector<std::size_t> one = rerun_controls(series, {3}, 10);
  CHECK(one.size() == 24);
  CHECK(count_of(one, 4096) == 24);
  for (const std::size_t c : one) CHECK((c != 3 && c != 7));
  // Candidates of both sizes: 24 of each.
  const std::vector<std::size_t> both = rerun_controls(series, {3, 60, 61}, 10);
  CHECK(both.size() == 48);
  CHECK(count_of(both, 4096) == 24);
  CHECK(count_of(both, 262144) == 24);
  CHECK(std::is_sorted(both.begin(), both.end()));
  // A native candidate: 2 others of its size, so 24 spread over every eligible case.
  const std::vector<std::size_t> native = rerun_controls(series, {101}, 10);
  CHECK(native.size() == 24);
  CHECK(count_of(native, 4096) > 8);
  CHECK(count_of(native, 262144) > 8);
  // A size with fewer than 24 eligible but at least kMinSizeControls (10): all of them.
  const auto small_of = [](std::size_t c) -> std::uint64_t { return c < 15 ? 512 : 4096; };
  const std::vector<CaseSeries> some = flat_series(55, 12, small_of);
  const std::vector<std::size_t> fourteen = rerun_controls(some, {2}, 10);
  CHECK(fourteen.size() == 14);
  for (const std::size_t c : fourteen) CHECK(small_of(c) == 512);
  // Not by size: 24 spread over every eligible case, whatever the candidates' sizes.
  const std::vector<std::size_t> all = rerun_controls(series, {3}, 10, false);
  CHECK(all.size() == 24);
  CHECK(count_of(all, 262144) > 8);
}

TEST_CASE("rerun_levels: a candidate's re-run level removes the factor of its size's controls") {
  // A slow moment: the 4096-entry controls +8%, the 262144-entry ones +16% (log), each control
  // with its own offset of at most 0.3%; candidate 0 (4096 entries, loading 0.9, tonight's further
  // factors 0.01) +8% with a 5% step of its own; candidate 40 (262144 entries, loading 1) +16%.
  const auto ptes_of = [](std::size_t c) -> std::uint64_t { return c < 30 ? 4096 : 262144; };
  std::vector<CaseSeries> series = flat_series(60, 12, ptes_of);
  series[0].loading = 0.9;
  series[0].further.back() = 0.01;
  const auto offset = [](std::size_t c) { return 0.001 * static_cast<double>(c % 7) - 0.003; };
  std::vector<Row> run;
  for (std::size_t c = 0; c < 60; ++c) {
    double log_value = c < 30 ? 0.08 : 0.16;
    if (c != 0 && c != 40) log_value += offset(c);
    if (c == 0) log_value = 0.9 * 0.08 + 0.01 + 0.05;
    run.push_back(row(c, std::exp(log_value), ptes_of(c)));
  }
  const std::vector<std::vector<Row>> runs = {run, run};
  // By size: the median offset of each size's controls is 0 (offsets -3..+3 per mil, balanced
  // enough over 29 cases to have a median of 0), so the step is what is left.
  const auto by_size = rerun_levels(series, {0, 40}, runs, 10);
  REQUIRE(by_size[0].size() == 2);
  CHECK(by_size[0][0] == Approx(0.05).margin(1e-12));
  CHECK(by_size[0][1] == Approx(0.05).margin(1e-12));
  REQUIRE(by_size[40].size() == 2);
  CHECK(by_size[40][0] == Approx(0).margin(1e-12));
  for (std::size_t c = 1; c < 60; ++c)
    if (c != 40) CHECK(by_size[c].empty());
  // Every control: 29 of each size, so their median lies between the groups, at the mean of the
  // 4096-entry group's largest (0.083) and the 262144-entry group's smallest (0.157): candidate 0
  // left at 0.05 + 0.9 x (0.08 - 0.12), its step almost gone; candidate 40 at 0.16 - 0.12.
  const auto every = rerun_levels(series, {0, 40}, runs, 10, false);
  REQUIRE(every[0].size() == 2);
  CHECK(every[0][0] == Approx(0.05 + 0.9 * (0.08 - 0.12)).margin(1e-12));
  CHECK(every[40][0] == Approx(0.16 - 0.12).margin(1e-12));
}

TEST_CASE("rerun_levels: too few controls measured, tonight's whole factor stands in") {
  const auto ptes_of = [](std::size_t) -> std::uint64_t { return 4096; };
  std::vector<CaseSeries> series = flat_series(30, 12, ptes_of);
  series[0].factors.back() = 0.02;  // what tonight's judgement removed from case 0
  // The run measured case 0 and 9 controls of its size: fewer than kMinSizeControls (10) of its
  // size and than drift::kMinCases (20) of its metric.
  std::vector<Row> run;
  for (std::size_t c = 0; c < 10; ++c) run.push_back(row(c, std::exp(c == 0 ? 0.07 : 0.3), 4096));
  const auto levels = rerun_levels(series, {0}, std::vector<std::vector<Row>>{run}, 10);
  REQUIRE(levels[0].size() == 1);
  CHECK(levels[0][0] == Approx(0.05).margin(1e-12));
  // A candidate the run did not measure has no level from it.
  const auto absent = rerun_levels(series, {20}, std::vector<std::vector<Row>>{run}, 10);
  CHECK(absent[20].empty());
}

TEST_CASE("rerun_levels: judge_with_reruns re-runs the first judgement's candidates only") {
  // 13 nights of 60 cases, case 0 +5% on the last two (tests/harness/test_rows.h).
  const auto nights = ptebench::test::two_group_nights();
  std::vector<const std::vector<Row>*> p;
  for (const auto& n : nights) p.push_back(&n);
  ptebench::nightly::JudgeOptions options;
  options.min_history = 10;
  const auto series = ptebench::nightly::build_series(p, {"ns_per_pte"});
  std::vector<std::size_t> asked;
  const auto none = [&](const std::vector<std::size_t>& candidates) {
    asked = candidates;
    return std::optional<std::vector<std::vector<Row>>>(std::vector<std::vector<Row>>{});
  };
  const auto first = ptebench::nightly::judge_with_reruns(series, options, {}, {}, none);
  REQUIRE_FALSE(asked.empty());
  CHECK(asked == first.night.rerun_candidates());
  CHECK(std::find(asked.begin(), asked.end(), std::size_t{0}) != asked.end());
  CHECK(first.processes == 0);
  CHECK_FALSE(first.interrupted);
  // Interrupted: no judgement is taken from it.
  const auto stop = [](const std::vector<std::size_t>&) {
    return std::optional<std::vector<std::vector<Row>>>();
  };
  CHECK(ptebench::nightly::judge_with_reruns(series, options, {}, {}, stop).interrupted);
  // Two re-runs of tonight's rows: judged again with each candidate's two re-run levels.
  const auto twice = [&](const std::vector<std::size_t>&) {
    return std::optional<std::vector<std::vector<Row>>>(
        std::vector<std::vector<Row>>{nights.back(), nights.back()});
  };
  const auto judged = ptebench::nightly::judge_with_reruns(series, options, {}, {}, twice);
  CHECK(judged.processes == 2);
  CHECK(judged.cases == asked.size());
  for (const std::size_t c : asked) CHECK(judged.levels[c].size() == 2);
  for (std::size_t c = 0; c < series.size(); ++c)
    if (std::find(asked.begin(), asked.end(), c) == asked.end()) CHECK(judged.levels[c].empty());
  // A night without candidates is never re-run.
  const auto flat = flat_series(30, 12, [](std::size_t) -> std::uint64_t { return 4096; });
  bool called = false;
  const auto never = [&](const std::vector<std::size_t>&) {
    called = true;
    return std::optional<std::vector<std::vector<Row>>>();
  };
  CHECK_FALSE(ptebench::nightly::judge_with_reruns(flat, options, {}, {}, never).interrupted);
  CHECK_FALSE(called);
}
