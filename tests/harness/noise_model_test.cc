// Tests for harness/noise_model and the run-level comparison (compare.h, Unit::run) on
// constructed data whose variance components are known exactly: run levels b_r and within-run
// deviations e_j are chosen so that every estimate has a closed form.
#include "harness/noise_model.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "harness/compare.h"
#include "harness/stats.h"

namespace {

using ptebench::compare::CompareOptions;
using ptebench::compare::Comparison;
using ptebench::compare::ComparisonRow;
using ptebench::compare::Drift;
using ptebench::compare::InconclusiveReason;
using ptebench::compare::Verdict;
using ptebench::noise::RunStats;
using ptebench::results::Row;

RunStats run(double level, double sum_sq, std::size_t n) {
  RunStats r;
  r.level = level;
  r.sum_sq = sum_sq;
  r.n = n;
  return r;
}

}  // namespace

TEST_CASE("Student t: closed forms and table values", "[noise][stats]") {
  using ptebench::stats::student_t_cdf;
  using ptebench::stats::student_t_quantile;
  for (const double t : {-5.0, -1.3, 0.0, 0.4, 2.0, 12.0}) {
    // df 1 is Cauchy, df 2 has a closed form too.
    CHECK(student_t_cdf(t, 1) == Approx(0.5 + std::atan(t) / M_PI).margin(1e-13));
    CHECK(student_t_cdf(t, 2) == Approx(0.5 + t / (2 * std::sqrt(2 + t * t))).margin(1e-13));
  }
  // Tables (R: qt(0.975, 3), qt(0.975, 10), qt(0.995, 1)).
  CHECK(student_t_quantile(0.975, 3) == Approx(3.182446305).epsilon(1e-9));
  CHECK(student_t_quantile(0.975, 10) == Approx(2.228138852).epsilon(1e-9));
  CHECK(student_t_quantile(0.995, 1) == Approx(63.65674116).epsilon(1e-9));
  CHECK(student_t_quantile(0.025, 3) == Approx(-3.182446305).epsilon(1e-9));
  // Large df tends to the normal.
  CHECK(student_t_cdf(1.96, 1e7) == Approx(ptebench::stats::normal_cdf(1.96)).margin(1e-7));
}

TEST_CASE("summarize_runs: the median level and the within-run sum of squares per run", "[noise]") {
  // Run 7: 1, 2, 3 (median 2, mean 2, SS 2); run 3: 5, 8, 5 (median 5, mean 6, SS 6).
  const std::vector<double> logs = {1, 5, 2, 8, 3, 5};
  const std::vector<std::uint32_t> runs = {7, 3, 7, 3, 7, 3};
  const auto out = ptebench::noise::summarize_runs(logs, runs);
  REQUIRE(out.size() == 2);
  CHECK(out[0].run == 3);  // ascending run id
  CHECK(out[0].level == 5);
  CHECK(out[0].sum_sq == Approx(6));
  CHECK(out[0].n == 3);
  CHECK(out[1].run == 7);
  CHECK(out[1].level == 2);
  CHECK(out[1].sum_sq == Approx(2));
}

TEST_CASE("estimate_components: pooled run and within variances, each source centred", "[noise]") {
  // Source A: levels -1, 0, +1 (SS 2, df 2); source B: 8, 12 (a different mean, as a change
  // would give: SS 8, df 1). Within: every run has 3 values with SS 2 w^2, w = 0.5.
  const double ss = 2 * 0.25;
  const std::vector<std::vector<RunStats>> sources = {
      {run(-1, ss, 3), run(0, ss, 3), run(1, ss, 3)}, {run(8, ss, 3), run(12, ss, 3)}, {}};
  const auto c = ptebench::noise::estimate_components(sources);
  CHECK(c.runs == 5);
  CHECK(c.df == 3);
  CHECK(c.run_var == Approx(10.0 / 3));
  CHECK(c.within_var == Approx(0.25));  // SS 0.5 per run, df 2 per run
  CHECK(c.n_mean == 3);
  CHECK(c.between_var == Approx(10.0 / 3 - 0.25 / 3));
  SECTION("one run per source: no run-level estimate") {
    const std::vector<std::vector<RunStats>> single = {{run(0, ss, 3)}, {run(1, ss, 3)}, {}};
    const auto s = ptebench::noise::estimate_components(single);
    CHECK(s.df == 0);
    CHECK(std::isnan(s.run_var));
    CHECK(std::isnan(s.between_var));
    CHECK(s.within_var == Approx(0.25));
  }
  SECTION("a run level varies at least by its repetitions' noise; sigma_b is never negative") {
    // Levels 0 and 0.1 (run_var 0.005) but within SS 10 per run (within_var 5, n 3): floored.
    const std::vector<std::vector<RunStats>> tight = {{run(0, 10, 3), run(0.1, 10, 3)}};
    const auto t = ptebench::noise::estimate_components(tight);
    CHECK(t.run_var == Approx(5.0 / 3));
    CHECK(t.between_var == 0);
    // Identical levels (a discrete metric) do not give a run variance of 0.
    const std::vector<std::vector<RunStats>> same = {{run(1, 0.5, 3), run(1, 0.5, 3)}};
    CHECK(ptebench::noise::estimate_components(same).run_var == Approx(0.25 / 3));
  }
}

TEST_CASE("run_test: t with the run as unit", "[noise]") {
  // Base levels 0, 1, 2 (mean 1, SS 2); new 4, 6 (mean 5, SS 2): run_var 4/3, df 3.
  const std::vector<RunStats> base = {run(0, 0, 1), run(1, 0, 1), run(2, 0, 1)};
  const std::vector<RunStats> current = {run(4, 0, 1), run(6, 0, 1)};
  const std::vector<std::vector<RunStats>> sources = {base, current};
  const auto c = ptebench::noise::estimate_components(sources);
  const auto t = ptebench::noise::run_test(c, base, current);
  const double se = std::sqrt(4.0 / 3 * (1.0 / 3 + 1.0 / 2));
  CHECK(t.change == Approx(4));
  CHECK(t.se == Approx(se));
  CHECK(t.t == Approx(4 / se));
  CHECK(t.df == 3);
  CHECK(t.p == Approx(2 * ptebench::stats::student_t_cdf(-4 / se, 3)));
  CHECK(t.low == Approx(4 - 3.182446305 * se));
  CHECK(t.high == Approx(4 + 3.182446305 * se));
  SECTION("no run-to-run variance at all") {
    const std::vector<RunStats> same = {run(1, 0, 1), run(1, 0, 1)};
    const std::vector<std::vector<RunStats>> two = {same, same};
    const auto z = ptebench::noise::estimate_components(two);
    CHECK(ptebench::noise::run_test(z, same, same).p == 1);
  }
}

TEST_CASE("z_of_t and the empirical null", "[noise]") {
  using ptebench::noise::z_of_t;
  CHECK(z_of_t(0, 3) == 0);
  for (const double t : {0.5, 2.0, 6.0}) {
    // Same tail: Phi(z) = T_1(t) for df 1 (Cauchy).
    const double expected = ptebench::stats::normal_quantile(0.5 + std::atan(t) / M_PI);
    CHECK(z_of_t(t, 1) == Approx(expected).epsilon(1e-9));
    CHECK(z_of_t(-t, 1) == Approx(-expected).epsilon(1e-9));
  }
  CHECK(z_of_t(1e6, 50) == Approx(34.39).margin(0.01));  // a far tail keeps its size
  CHECK(z_of_t(1e200, 50) == 37);  // beyond double range: clamped, not infinite
  const std::vector<double> z = {-1, 0, 0, 1, 2, 3, 30};
  const auto null = ptebench::noise::empirical_null(z, 5);
  CHECK(null.estimated);
  CHECK(null.center == 1);                  // median
  CHECK(null.scale == Approx(1.4826 * 1));  // MAD: |deviations| 2,1,1,0,1,2,29 -> 1
  CHECK_FALSE(ptebench::noise::empirical_null(z, 7).estimated);
  CHECK(ptebench::noise::empirical_null(z, 7).scale == 1);
}

namespace {

// Constructed runs: case `workload`, log value = log(10) + level_r + e_j, with e_j from
// kWithin (median 0, SS 0.001 per run... see below), one run per call.
const std::vector<double> kWithin = {-0.02, -0.01, 0, 0.01, 0.02,
                                     -0.02, -0.01, 0, 0.01, 0.02};  // SS 0.002, median 0
constexpr double kWithinVar = 0.002 / 9;

void add_run(std::vector<Row>& rows, const std::string& run_id, const std::string& workload,
             double level) {
  for (std::size_t j = 0; j < kWithin.size(); ++j) {
    Row r;
    r.run_id = run_id;
    r.codegen = "kernel";
    r.workload = workload;
    r.pte_format = "x86_64";
    r.variant = "plain";
    r.layout = "dense";
    r.ptes = 4096;
    r.repetition = static_cast<std::uint32_t>(j);
    r.metric = "ns_per_pte";
    r.unit = "ns";
    r.value = 10 * std::exp(level + kWithin[j]);
    rows.push_back(r);
  }
}

// 25 flat cases (no run effect), `quiet` (run sd 1%), `noisy` (run sd 20%); the new run moves
// quiet and noisy by +10% (log 0.1). History: 10 runs, run effects alternating +-.
struct Synthetic {
  std::vector<Row> base, current, history;
};

Synthetic synthetic(double common_new = 0, double history_common = 0) {
  Synthetic s;
  for (int r = 0; r < 10; ++r) {
    const double sign = r % 2 == 0 ? -1 : 1;
    const std::string id = "h" + std::to_string(r);
    const double f = sign * history_common;
    for (int k = 0; k < 25; ++k) add_run(s.history, id, "flat" + std::to_string(k), f);
    add_run(s.history, id, "quiet", f + sign * 0.01);
    add_run(s.history, id, "noisy", f + sign * 0.2);
  }
  for (int k = 0; k < 25; ++k) {
    add_run(s.base, "b", "flat" + std::to_string(k), 0);
    add_run(s.current, "n", "flat" + std::to_string(k), common_new);
  }
  for (const char* name : {"quiet", "noisy"}) {
    add_run(s.base, "b", name, 0);
    add_run(s.current, "n", name, common_new + 0.1);
  }
  return s;
}

Comparison run_compare(const Synthetic& s, bool with_history, CompareOptions options = {}) {
  ptebench::compare::Collector collector(options);
  for (const Row& r : s.base) collector.add_base(r);
  collector.next_input();
  for (const Row& r : s.current) collector.add_new(r);
  collector.next_input();
  if (with_history) {
    for (const Row& r : s.history) collector.add_history(r);
  }
  return std::move(collector).finish();
}

const ComparisonRow& row_of(const Comparison& c, const std::string& workload) {
  for (const ComparisonRow& row : c.rows) {
    if (row.key.workload == workload) return row;
  }
  FAIL("no row " << workload);
  throw;
}

}  // namespace

TEST_CASE("compare by run: known components give known estimates and verdicts", "[noise]") {
  CompareOptions exact;
  exact.drift = Drift::none;  // nothing removed: the estimates are the constructed ones
  const Comparison c = run_compare(synthetic(), true, exact);
  const ComparisonRow& quiet = row_of(c, "quiet");
  // History: 10 run levels +-0.01 around 0 -> SS 10 * 1e-4, df 9; base/new add no df.
  const double run_var = 10 * 1e-4 / 9;
  CHECK(quiet.runs_base == 1);
  CHECK(quiet.runs_new == 1);
  CHECK(quiet.run_df == 9);
  CHECK(quiet.run_sd == Approx(std::sqrt(run_var)).epsilon(1e-9));
  CHECK(quiet.within_sd == Approx(std::sqrt(kWithinVar)).epsilon(1e-9));
  CHECK(quiet.ratio == Approx(std::exp(0.1)).epsilon(1e-12));
  const double t = 0.1 / std::sqrt(2 * run_var);
  CHECK(quiet.p_value == Approx(2 * ptebench::stats::student_t_cdf(-t, 9)).epsilon(1e-6));
  CHECK(quiet.null_scale == 1);  // the flat cases' z are 0: no table-wide spread
  const double q = ptebench::stats::student_t_quantile(0.975, 9);
  CHECK(quiet.ratio_low == Approx(std::exp(0.1 - q * std::sqrt(2 * run_var))).epsilon(1e-9));
  CHECK(quiet.verdict == Verdict::regression);
  const ComparisonRow& noisy = row_of(c, "noisy");
  CHECK(noisy.run_sd == Approx(std::sqrt(10 * 0.04 / 9)).epsilon(1e-9));
  CHECK(noisy.verdict == Verdict::unchanged);  // +10% is well within a 20% run-to-run sd
  CHECK(c.summary.count(Verdict::regression) == 1);
  CHECK(c.summary.count(Verdict::unchanged) == 26);
  REQUIRE(c.noise.size() == 1);
  CHECK(c.noise[0].cases == 27);
  CHECK(c.noise[0].cases_with_run_sd == 27);
  CHECK(c.noise[0].history_runs == 10);

  SECTION("the same with the default drift removal") {
    const Comparison d = run_compare(synthetic(), true);
    CHECK(row_of(d, "quiet").verdict == Verdict::regression);
    CHECK(row_of(d, "noisy").verdict == Verdict::unchanged);
    CHECK(d.summary.count(Verdict::regression) == 1);
  }
  SECTION("a table whose cases all spread wider than their model widens every null (Efron)") {
    // Every flat case moves by its own +-3% while its history says 0.3%: their z spread far
    // beyond N(0, 1), and quiet's z is judged against that spread.
    Synthetic s = synthetic();
    for (Row& r : s.history) {
      if (r.workload.rfind("flat", 0) == 0) {
        r.value *= std::exp((r.run_id.back() % 2 == 0 ? -1 : 1) * 0.003);
      }
    }
    for (Row& r : s.current) {
      if (r.workload.rfind("flat", 0) == 0) {
        const int k = std::stoi(r.workload.substr(4));
        r.value *= std::exp((k % 2 == 0 ? -1 : 1) * 0.003 * (1 + k % 5));
      }
    }
    const Comparison w = run_compare(s, true, exact);
    CHECK(w.noise[0].z_null.estimated);
    CHECK(w.noise[0].z_null.scale > 1);
    CHECK(row_of(w, "quiet").null_scale == Approx(w.noise[0].z_null.scale));
    CHECK(row_of(w, "quiet").p_value > quiet.p_value);
  }
}

TEST_CASE("compare by run: one run a side and no history is never a flag", "[noise]") {
  CompareOptions exact;
  exact.drift = Drift::none;
  const Comparison c = run_compare(synthetic(), false, exact);
  // quiet and noisy both moved +10%, far beyond their repetitions' noise and beyond the flat
  // cases' spread (0): their own run-to-run noise is unknown.
  for (const char* name : {"quiet", "noisy"}) {
    const ComparisonRow& row = row_of(c, name);
    CHECK(row.run_df == 0);
    CHECK(std::isnan(row.run_sd));
    CHECK(row.runs_base == 1);
    CHECK(row.runs_new == 1);
    CHECK(std::isnan(row.within_sd));  // not estimated on the fast path (compare.h)
    CHECK(row.verdict == Verdict::inconclusive);
    CHECK(row.reason == InconclusiveReason::run_noise_unknown);
  }
  CHECK(c.summary.count(Verdict::regression) == 0);
  CHECK(c.summary.count(Verdict::unchanged) == 25);
  SECTION("a change within the table's spread of changes is unchanged") {
    // 25 cases spread over +-8% (their repetitions agree within each run): a +10% is within
    // what run-to-run noise does to this table.
    Synthetic s = synthetic();
    for (Row& r : s.current) {
      if (r.workload.rfind("flat", 0) == 0) {
        const int k = std::stoi(r.workload.substr(4));
        r.value *= std::exp(0.08 * (k - 12) / 12.0);
      }
    }
    const Comparison d = run_compare(s, false, exact);
    CHECK(d.noise[0].change_null.estimated);
    CHECK(row_of(d, "quiet").verdict == Verdict::unchanged);
    CHECK(d.summary.count(Verdict::regression) + d.summary.count(Verdict::improvement) == 0);
  }
}

TEST_CASE("compare by run: the whole run is judged against the history's run factors", "[noise]") {
  // Every case of the new run is +22% (log 0.2); the history's runs move as a whole by +-1%.
  const Synthetic s = synthetic(0.2, 0.01);
  const Comparison with = run_compare(s, true);
  REQUIRE(with.drift.size() == 1);
  const auto& note = with.drift[0];
  CHECK(note.common_ratio == Approx(std::exp(0.2)).epsilon(1e-9));
  CHECK(note.common_run_df == 9);
  CHECK(note.common_run_sd == Approx(std::sqrt(10 * 1e-4 / 9)).epsilon(1e-6));
  CHECK(note.common_verdict == Verdict::regression);
  CHECK(with.has_regression());
  SECTION("a history whose runs move by +-10% as a whole explains a +22% run") {
    const Comparison wide = run_compare(synthetic(0.2, 0.1), true);
    CHECK(wide.drift[0].common_verdict == Verdict::unchanged);
  }
  SECTION("without a history the whole run is inconclusive") {
    const Comparison without = run_compare(s, false);
    CHECK(without.drift[0].common_verdict == Verdict::inconclusive);
    CHECK_FALSE(without.has_regression());
  }
}
