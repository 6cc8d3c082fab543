// Tests for harness/factor_model: the eigenvectors, and the further factors on synthetic nights
// with two known factors, one case's step, and pure noise.
#include "harness/factor_model.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "harness/night_series.h"
#include "harness/nightly_judge.h"
#include "tests/harness/test_rows.h"

namespace {

using ptebench::nightly::further_factors;
using ptebench::nightly::FurtherFactors;
using ptebench::nightly::top_eigenvectors;

// 12 nights, the first 9 the reference. Two factors, each night's value of each (log).
constexpr std::size_t kNights = 12, kReference = 9;
const double kF1[kNights] = {0.02,  -0.01, 0.03,  -0.02, 0.00,  0.01,
                             -0.03, 0.02,  -0.02, 0.03,  0.025, -0.015};
const double kF2[kNights] = {-0.01, 0.02,  0.00, 0.01, -0.02, 0.03,
                             0.01,  -0.03, 0.00, 0.02, -0.02, 0.03};

// `cases` cases: case c's log level 1 + 0.1 c + a_c f1 + b_c f2 (a_c, b_c fixed, varied by
// case, some cases with none of one factor), case 0 with `step` from night 10 on.
std::vector<std::vector<double>> two_factor_levels(std::size_t cases, double step) {
  std::vector<std::vector<double>> levels(cases, std::vector<double>(kNights));
  for (std::size_t c = 0; c < cases; ++c) {
    const double a = (c % 3 == 0) ? 0.0 : 0.5 + 0.1 * static_cast<double>(c % 7);
    const double b = (c % 4 == 1) ? 0.0 : 1.2 - 0.15 * static_cast<double>(c % 5);
    for (std::size_t i = 0; i < kNights; ++i)
      levels[c][i] = 1 + 0.1 * static_cast<double>(c) + a * kF1[i] + b * kF2[i] +
                     (c == 0 && i >= 10 ? step : 0);
  }
  return levels;
}

double reference_mean(const std::vector<double>& x) {
  double sum = 0;
  for (std::size_t i = 0; i < kReference; ++i) sum += x[i];
  return sum / kReference;
}

}  // namespace

TEST_CASE("factor_model: eigenvectors of a symmetric matrix, largest first") {
  // [[2, 1, 0], [1, 2, 0], [0, 0, 5]]: eigenvalues 5 (e3), 3 ((e1 + e2) / sqrt 2), 1.
  std::vector<double> values;
  const auto v = top_eigenvectors({2, 1, 0, 1, 2, 0, 0, 0, 5}, 3, 2, &values);
  REQUIRE(v.size() == 2);
  REQUIRE(values.size() == 2);
  CHECK(values[0] == Approx(5).margin(1e-12));
  CHECK(values[1] == Approx(3).margin(1e-12));
  CHECK(std::fabs(v[0][2]) == Approx(1).margin(1e-12));
  CHECK(std::fabs(v[1][0]) == Approx(std::sqrt(0.5)).margin(1e-12));
  CHECK(v[1][0] * v[1][1] > 0);  // the same sign: (1, 1) / sqrt 2
  CHECK(v[1][2] == Approx(0).margin(1e-12));
}

TEST_CASE("factor_model: two factors removed exactly, one case's step left whole") {
  const double step = std::log(1.05);
  const auto levels = two_factor_levels(40, step);
  const FurtherFactors f = further_factors(levels, kReference, 2);
  CHECK(f.factors == 2);
  CHECK(f.cases == 37);  // cases 9, 21 and 33 move with neither factor: flat, no deviations
  for (std::size_t c = 0; c < 40; ++c) {
    INFO("case " << c);
    const double mean = reference_mean(levels[c]);
    for (std::size_t i = 0; i < kNights; ++i) {
      const double adjusted = levels[c][i] - f.adjustment[c][i];
      if (c == 0) {
        // Its own step never enters its correction (leave-one-out): exactly the step is left.
        CHECK(adjusted - mean == Approx(i >= 10 ? step : 0).margin(1e-9));
      } else {
        // The others' scores on nights 10 and 11 see case 0's step as one point in 39, down-
        // weighted: what it leaves is far below the step.
        CHECK(std::fabs(adjusted - mean) < (i >= 10 ? 0.002 : 1e-9));
      }
    }
  }
}

TEST_CASE("factor_model: a case's correction does not depend on its own nights under test") {
  // Leave-one-out: case 0's adjustment on every night is the same with and without its step.
  const FurtherFactors with = further_factors(two_factor_levels(40, std::log(1.3)), kReference, 2);
  const FurtherFactors without = further_factors(two_factor_levels(40, 0), kReference, 2);
  for (std::size_t i = 0; i < kNights; ++i)
    CHECK(with.adjustment[0][i] == Approx(without.adjustment[0][i]).margin(1e-12));
}

TEST_CASE("factor_model: on noise, reference means kept and reference variance not shrunk") {
  // 60 cases of independent noise (sd 1%), no factor: whatever the two factors fit on the
  // reference nights is chance, and the reference deviations are scaled back up by
  // sqrt((n - 1) / (n - 1 - 2)), so that the average reference variance stays the noise's.
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 0.01);
  double ratio_sum = 0;
  constexpr int kDraws = 40;
  for (int draw = 0; draw < kDraws; ++draw) {
    std::vector<std::vector<double>> levels(60, std::vector<double>(kNights));
    for (auto& c : levels)
      for (double& v : c) v = 2 + noise(rng);
    const FurtherFactors f = further_factors(levels, kReference, 2);
    REQUIRE(f.factors == 2);
    double before = 0, after = 0;
    for (std::size_t c = 0; c < levels.size(); ++c) {
      const double mean = reference_mean(levels[c]);
      double adjusted_sum = 0;
      for (std::size_t i = 0; i < kReference; ++i) {
        const double adjusted = levels[c][i] - f.adjustment[c][i];
        adjusted_sum += adjusted;
        before += (levels[c][i] - mean) * (levels[c][i] - mean);
        after += (adjusted - mean) * (adjusted - mean);
      }
      CHECK(adjusted_sum / kReference == Approx(mean).margin(1e-12));
    }
    ratio_sum += after / before;
  }
  // Without the scaling the ratio is about 6/8 = 0.75; with it about 1.
  CHECK(ratio_sum / kDraws == Approx(1).margin(0.08));
}

TEST_CASE("factor_model: none from fewer than 21 cases or 7 reference nights, or when asked none") {
  const auto check_none = [](const FurtherFactors& f) {
    CHECK(f.factors == 0);
    for (const auto& c : f.adjustment)
      for (const double a : c) CHECK(a == 0);
  };
  check_none(further_factors(two_factor_levels(20, 0), kReference, 2));
  check_none(further_factors(two_factor_levels(40, 0), 6, 2));
  check_none(further_factors(two_factor_levels(40, 0), kReference, 0));
}

TEST_CASE(
    "factor_model: a case without a level on a night keeps it without, and gaps are tolerated") {
  auto levels = two_factor_levels(40, 0);
  levels[5][3] = std::nan("");   // case 5 misses a reference night: it does not contribute
  levels[6][10] = std::nan("");  // case 6 misses a night under test
  const FurtherFactors f = further_factors(levels, kReference, 2);
  CHECK(f.cases == 36);  // 37 as above, without case 5
  CHECK(f.adjustment[5][3] == 0);
  CHECK(f.adjustment[6][10] == 0);
  // Case 5 still gets its correction on its other nights (8 reference nights of its own): its
  // levels then all lie at its reference mean, the factors gone.
  double mean5 = 0;
  for (std::size_t i = 0; i < kReference; ++i)
    if (i != 3) mean5 += levels[5][i] / (kReference - 1);
  for (std::size_t i = 0; i < kNights; ++i) {
    if (i == 3) continue;
    CHECK(levels[5][i] - f.adjustment[5][i] == Approx(mean5).margin(1e-9));
  }
}

TEST_CASE("factor_model: a group the first factor leaves moving no longer hides a step") {
  // tests/harness/test_rows.h: two groups of cases following two machine states, case 0 +5% on
  // the last two nights. The night's judge with the further factors confirms case 0 alone, its
  // step read at +5% within its noise; with the first factor only it does not.
  const auto nights = ptebench::test::two_group_nights();
  std::vector<const std::vector<ptebench::results::Row>*> pointers;
  for (const auto& n : nights) pointers.push_back(&n);
  const auto judge = [&](std::size_t further) {
    const auto series = ptebench::nightly::build_series(pointers, {"ns_per_pte"}, 3, further);
    std::vector<std::vector<double>> levels;
    for (const auto& s : series) levels.push_back(s.levels);
    return ptebench::nightly::judge_night(levels, {}, ptebench::nightly::JudgeOptions{});
  };
  const auto with = judge(2);
  const auto without = judge(0);
  INFO("with: " << with.headline() << ", null " << with.null_scale
                << "; without: " << without.headline() << ", null " << without.null_scale);
  REQUIRE(with.cases.size() == 60);
  CHECK(with.confirmed_regressions == std::vector<std::size_t>{0});
  CHECK(with.cases[0].ratio == Approx(1.05).margin(0.01));
  CHECK(without.confirmed_regressions != std::vector<std::size_t>{0});
  CHECK(without.null_scale > with.null_scale);
}
