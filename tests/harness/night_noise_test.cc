// Tests for harness/night_noise: each case's night-to-night sd (factors removed and raw), its
// suspect step, and the order (steadiest first), on series with known values.
#include "harness/night_noise.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <span>
#include <vector>

namespace {

using ptebench::nightly::case_noise;
using ptebench::nightly::CaseNoise;
using ptebench::nightly::CaseSeries;
using ptebench::nightly::JudgeOptions;

CaseSeries series_of(std::vector<double> levels, std::vector<double> factors = {}) {
  CaseSeries s;
  if (factors.empty()) factors.assign(levels.size(), 0.0);
  s.levels = std::move(levels);
  s.factors = std::move(factors);
  return s;
}

// case_noise of one series with window 20, `alpha` over `splits` splits.
CaseNoise noise_of(const CaseSeries& series, double alpha, std::size_t splits) {
  JudgeOptions options;
  options.window = 20;
  options.alpha = alpha;
  options.max_after = splits;
  const std::vector<CaseNoise> noise = case_noise(std::span(&series, 1), options);
  REQUIRE(noise.size() == 1);
  return noise[0];
}

}  // namespace

TEST_CASE("case_noise: the sd of the levels, of the raw levels, and the suspect step") {
  // Levels 0, +-0.01, +-0.02 (log): sum of squares 0.001 over 4 degrees of freedom, sd 0.0158114.
  // The factors removed (+0.1, -0.1 on the first two nights) give raw levels 0.1, -0.09, -0.01,
  // 0.02, -0.02: mean 0, sum of squares 0.019, sd 0.0689202.
  // A two-sided 95% split test (alpha 0.05, one split): the t quantile 0.975 at df 3 (5 nights:
  // 3 reference nights before a two-night split), 3.182446 in every table.
  const CaseNoise noise =
      noise_of(series_of({0, 0.01, -0.01, 0.02, -0.02}, {0.1, -0.1, 0, 0, 0}), 0.05, 1);
  CHECK(noise.series == 0);
  CHECK(noise.nights == 5);
  CHECK(noise.sd_pct == Approx((std::exp(0.0158114) - 1) * 100).epsilon(1e-5));
  CHECK(noise.raw_sd_pct == Approx((std::exp(0.0689202) - 1) * 100).epsilon(1e-5));
  // 3.182446 x sd x sqrt(1/3 + 1/2).
  CHECK(noise.suspect_step_pct ==
        Approx((std::exp(3.182446 * 0.0158114 * 0.9128709) - 1) * 100).epsilon(1e-5));
}

TEST_CASE("case_noise: the reference is the window at most, Bonferroni over the splits") {
  // 30 nights alternating +-0.01: sd 0.01 x sqrt(30 / 29). Window 20: 20 reference nights, df 20;
  // alpha 0.03 over 3 splits: the t quantile 0.995 at df 20, 2.845340.
  std::vector<double> levels;
  for (int k = 0; k < 30; ++k) levels.push_back(k % 2 == 0 ? 0.01 : -0.01);
  const CaseNoise noise = noise_of(series_of(levels), 0.03, 3);
  const double sd = 0.01 * std::sqrt(30.0 / 29.0);
  CHECK(noise.raw_sd_pct == Approx(noise.sd_pct));  // nothing removed
  CHECK(noise.suspect_step_pct ==
        Approx((std::exp(2.845340 * sd * std::sqrt(1.0 / 20 + 1.0 / 2)) - 1) * 100).epsilon(1e-5));
}

TEST_CASE("case_noise: steadiest first, a series of fewer than 3 nights left out") {
  const std::vector<CaseSeries> series = {series_of({0, 0.04, -0.04, 0.04}),   // the noisiest
                                          series_of({0, 0.01}),                // 2 nights: left out
                                          series_of({0, 0.001, -0.001, 0.0}),  // the steadiest
                                          series_of({0, 0.02, -0.02, 0.0}),
                                          series_of({0.5, 0.5, 0.5})};  // constant: sd 0
  const std::vector<CaseNoise> noise = case_noise(series, JudgeOptions{});
  REQUIRE(noise.size() == 4);
  CHECK(noise[0].series == 4);
  CHECK(noise[0].sd_pct == 0);
  // However steady, no step below the threshold (2%) is a verdict.
  CHECK(noise[0].suspect_step_pct == Approx(JudgeOptions{}.threshold_pct));
  CHECK(noise[1].suspect_step_pct == Approx(JudgeOptions{}.threshold_pct));
  CHECK(noise[1].series == 2);
  CHECK(noise[2].series == 3);
  CHECK(noise[3].series == 0);
  CHECK(noise[1].sd_pct < noise[2].sd_pct);
  CHECK(noise[2].sd_pct < noise[3].sd_pct);
}
