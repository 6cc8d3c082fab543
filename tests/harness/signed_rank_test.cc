// Tests for harness/signed_rank: the signed-rank null distribution counted against subsets by
// hand, and the test and the one-sample Hodges-Lehmann interval on samples whose answers are
// worked out in the comments (R's wilcox.test(d, conf.int = TRUE) gives the same).
#include "harness/signed_rank.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <vector>

namespace {

using ptebench::stats::hodges_lehmann_paired;
using ptebench::stats::signed_rank;
using ptebench::stats::signed_rank_exact_pmf;

std::vector<double> one_to(int n) {
  std::vector<double> d(static_cast<std::size_t>(n));
  std::iota(d.begin(), d.end(), 1.0);
  return d;
}

}  // namespace

TEST_CASE("the signed-rank null distribution counts the subsets of the ranks") {
  // Subsets of {1, 2, 3}: sums 0, 1, 2, 3 ({3}, {1,2}), 4, 5, 6.
  const std::vector<double> pmf3 = signed_rank_exact_pmf(3);
  const std::vector<double> want = {1, 1, 1, 2, 1, 1, 1};
  REQUIRE(pmf3.size() == want.size());
  for (std::size_t v = 0; v < want.size(); ++v) CHECK(pmf3[v] == want[v] / 8);
  // n = 10: 25 subsets sum to 8 or less (1, 1, 1, 2, 2, 3, 4, 5, 6), 8 to exactly 9.
  const std::vector<double> pmf10 = signed_rank_exact_pmf(10);
  REQUIRE(pmf10.size() == 56);
  CHECK(std::accumulate(pmf10.begin(), pmf10.begin() + 9, 0.0) == 25.0 / 1024);
  CHECK(pmf10[9] == 8.0 / 1024);
  CHECK(std::accumulate(pmf10.begin(), pmf10.end(), 0.0) == Approx(1).epsilon(1e-15));
  CHECK(signed_rank_exact_pmf(0) == std::vector<double>{1});
}

TEST_CASE("signed_rank: exact p-values of untied samples") {
  // All ten positive: V = 55, the largest; p = 2 / 2^10.
  const auto all_up = signed_rank(one_to(10));
  CHECK(all_up.exact);
  CHECK(all_up.v == 55);
  CHECK(all_up.n_used == 10);
  CHECK(all_up.p_value == 2.0 / 1024);
  // Ranks 2, 3, 5 positive: V = 10; P(V >= 10) = P(V <= 5) = 10/32 for n = 5; p = 0.625.
  const std::vector<double> mixed = {-1, 2, 3, -4, 5};
  const auto m = signed_rank(mixed);
  CHECK(m.exact);
  CHECK(m.v == 10);
  CHECK(m.p_value == 0.625);
  // The sign flipped: the same p (a two-sided test).
  const std::vector<double> flipped = {1, -2, -3, 4, -5};
  CHECK(signed_rank(flipped).v == 5);
  CHECK(signed_rank(flipped).p_value == 0.625);
  // Alternating signs about 0: V = 1 + 3 + 5 + 7 + 9 = 25 of mean 27.5; 433 of the 1024
  // subsets sum to 25 or less, p = 2 * 433 / 1024.
  const std::vector<double> aa = {1, -2, 3, -4, 5, -6, 7, -8, 9, -10};
  CHECK(signed_rank(aa).v == 25);
  CHECK(signed_rank(aa).p_value == 2.0 * 433 / 1024);
}

TEST_CASE("signed_rank: zeros dropped, ties averaged, normal approximation") {
  // 0 dropped; |d| ranks 1.5, 1.5, 3, 4, 5, 6, 7; V = 1.5 + 1.5 + 3 + 5 + 6 + 7 = 24; mean 14,
  // variance 7*8*15/24 - (2^3 - 2)/48 = 34.875; z = (24 - 14 - 0.5) / sqrt(34.875);
  // p = 2 Phi(-z) = 0.1076889 (R: V = 24, p-value = 0.1077).
  const std::vector<double> d = {0, 1, 1, 2, -3, 4, 5, 6};
  const auto r = signed_rank(d);
  CHECK_FALSE(r.exact);
  CHECK(r.n_used == 7);
  CHECK(r.v == 24);
  CHECK(r.p_value == Approx(0.10768889629).epsilon(1e-9));
  // A zero and no ties: still the normal approximation, as R (V = 15 of n' = 5, mean 7.5,
  // variance 13.75; p = 2 Phi(-(15 - 7.5 - 0.5) / sqrt(13.75)) = 0.0590582; exact would say 1/16).
  const std::vector<double> with_zero = {0, 1, 2, 3, 4, 5};
  const auto wz = signed_rank(with_zero);
  CHECK_FALSE(wz.exact);
  CHECK(wz.v == 15);
  CHECK(wz.p_value == Approx(0.05905822909).epsilon(1e-9));
  // Every difference 0: no evidence of a change.
  const std::vector<double> zeros(6, 0.0);
  CHECK(signed_rank(zeros).p_value == 1);
  CHECK(std::isnan(signed_rank(std::vector<double>{}).p_value));
}

TEST_CASE("hodges_lehmann_paired: the median Walsh average and its exact interval") {
  // 1..10: the Walsh averages are symmetric about 5.5; k = 9 (P(V <= 8) = 25/1024 < 0.025 <=
  // P(V <= 9) = 33/1024); W(9) = 3 (1, 1.5, 2, 2, 2.5, 2.5, 3, 3, 3), W(47) = 8. Coverage
  // 1 - 2 * 25/1024.
  const auto s = hodges_lehmann_paired(one_to(10));
  CHECK(s.exact);
  CHECK(s.shift == 5.5);
  CHECK(s.low == 3);
  CHECK(s.high == 8);
  CHECK(s.achieved_confidence == 1 - 50.0 / 1024);
  // Moved by 100: everything moves by 100 (the interval is of the shift, not of the ranks).
  std::vector<double> moved = one_to(10);
  for (double& x : moved) x += 100;
  const auto m = hodges_lehmann_paired(moved);
  CHECK(m.shift == 105.5);
  CHECK(m.low == 103);
  CHECK(m.high == 108);
  // n = 5 is too small for 95%: k raised to 1, [min, max], coverage 1 - 2/32.
  const auto small = hodges_lehmann_paired(one_to(5));
  CHECK(small.shift == 3);
  CHECK(small.low == 1);
  CHECK(small.high == 5);
  CHECK(small.achieved_confidence == 1 - 2.0 / 32);
}

TEST_CASE("hodges_lehmann_paired: the normal approximation beyond the exact limit") {
  // 1..60 (n >= 50): N = 1830 Walsh averages, sigma = sqrt(60*61*121/24), k = floor(915.5 -
  // 1.959964 sigma) = 649; W(649) = 25.5 and W(1182) = 35.5 (symmetric about 30.5).
  const auto s = hodges_lehmann_paired(one_to(60));
  CHECK_FALSE(s.exact);
  CHECK(s.shift == 30.5);
  CHECK(s.low == 25.5);
  CHECK(s.high == 35.5);
  CHECK(s.achieved_confidence == Approx(0.950222052567).epsilon(1e-9));
}

TEST_CASE("hodges_lehmann_paired: every pair equal is no change - empty is NaN") {
  const std::vector<double> zeros(8, 0.0);
  const auto z = hodges_lehmann_paired(zeros);
  CHECK(z.shift == 0);
  CHECK(z.low == 0);
  CHECK(z.high == 0);
  CHECK(z.achieved_confidence == 1);
  const auto e = hodges_lehmann_paired(std::vector<double>{});
  CHECK(std::isnan(e.shift));
  CHECK(std::isnan(e.low));
}
