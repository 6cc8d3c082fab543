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

namespace {

ptebench::results::Row row_of(std::size_t c, double value) {
  ptebench::results::Row r;
  r.codegen = "kernel";
  r.workload = "w" + std::to_string(100 + c);
  r.pte_format = "x86_64";
  r.variant = "plain";
  r.layout = "dense";
  r.ptes = 512;
  r.metric = "ns_per_pte";
  r.unit = "ns";
  r.value = value;
  return r;
}

}  // namespace

TEST_CASE("factor_model: a group the first factor leaves moving no longer hides a step") {
  // 13 nights of 60 cases, each with its own noise (sd 0.5%). Cases 0-29 also move with a machine
  // state g (sd 2% over the reference nights, +3% on the last two), each with its own loading;
  // cases 30-59 with another, h. Case 0 steps +5% on the last two nights. The first factor (a
  // median over all cases) cannot follow two groups; the further factors can, and the night's
  // judge then confirms case 0 alone, its step read at +5% within its noise.
  std::mt19937_64 rng(11);
  std::normal_distribution<double> unit(0, 1);
  std::vector<double> g(13), h(13);
  for (std::size_t i = 0; i < 13; ++i) g[i] = 0.02 * unit(rng), h[i] = 0.02 * unit(rng);
  g[11] = g[12] = 0.03;
  std::vector<std::vector<ptebench::results::Row>> nights(13);
  for (std::size_t i = 0; i < 13; ++i)
    for (std::size_t c = 0; c < 60; ++c) {
      const double loading = 0.6 + 0.1 * static_cast<double>(c % 8);
      const double state = c < 30 ? loading * g[i] : loading * h[i];
      const double step = c == 0 && i >= 11 ? std::log(1.05) : 0;
      nights[i].push_back(row_of(c, std::exp(1 + state + step + 0.005 * unit(rng))));
    }
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
