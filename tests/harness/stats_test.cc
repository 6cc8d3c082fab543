// Tests for harness/stats against reference values computed independently of the code under
// test: hand computations shown in the comments, published tables, R's documented output, and
// brute-force enumeration written here from the definitions (not from the implementation's
// recurrences). Each test names its source.
#include "harness/stats.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace {

using ptebench::stats::benjamini_hochberg;
using ptebench::stats::hodges_lehmann;
using ptebench::stats::hodges_lehmann_ratio;
using ptebench::stats::mad;
using ptebench::stats::mad_sigma;
using ptebench::stats::mann_whitney;
using ptebench::stats::mann_whitney_exact_pmf;
using ptebench::stats::median;
using ptebench::stats::moments;
using ptebench::stats::normal_cdf;
using ptebench::stats::normal_quantile;
using ptebench::stats::robust_cv;

constexpr double kTight = 1e-12;

// Brute force from the definition: every way to choose which n of the m + n ranked positions
// hold `current` values (all equally likely under H0 without ties); U counts, for each current
// value, the base values ranked below it. Returns counts per u (not normalised).
std::vector<std::uint64_t> enumerate_u_counts(unsigned m, unsigned n) {
  std::vector<std::uint64_t> counts(m * n + 1, 0);
  const unsigned total = m + n;
  for (std::uint32_t mask = 0; mask < (1u << total); ++mask) {
    if (static_cast<unsigned>(__builtin_popcount(mask)) != n) continue;
    unsigned u = 0;
    unsigned base_below = 0;
    for (unsigned position = 0; position < total; ++position) {
      if ((mask >> position) & 1u) {
        u += base_below;
      } else {
        ++base_below;
      }
    }
    ++counts[u];
  }
  return counts;
}

// All m*n differences current_j - base_i, sorted: the definition of the Hodges–Lehmann order
// statistics, materialised.
std::vector<double> sorted_differences(const std::vector<double>& base,
                                       const std::vector<double>& current) {
  std::vector<double> d;
  for (const double b : current) {
    for (const double a : base) d.push_back(b - a);
  }
  std::sort(d.begin(), d.end());
  return d;
}

}  // namespace

TEST_CASE("median: odd - even - ties and the empty and single-value edge cases", "[stats]") {
  CHECK(std::isnan(median(std::vector<double>{})));
  CHECK(median(std::vector<double>{3.5}) == 3.5);
  CHECK(median(std::vector<double>{3, 1, 2}) == 2);
  CHECK(median(std::vector<double>{4, 1, 3, 2}) == 2.5);  // (2 + 3) / 2
  CHECK(median(std::vector<double>{1, 2, 2, 2, 9}) == 2);
  const std::vector<double> unsorted{9, 1, 5};
  CHECK(median(unsorted) == 5);
  CHECK(unsorted == std::vector<double>{9, 1, 5});  // the input is not reordered
}

TEST_CASE("mad: raw and scaled by 1.4826 - with edge cases", "[stats]") {
  // Wikipedia, "Median absolute deviation": {1, 1, 2, 2, 4, 6, 9} has median 2, deviations
  // {1, 1, 0, 0, 2, 4, 7}, whose median is 1.
  const std::vector<double> wiki{1, 1, 2, 2, 4, 6, 9};
  CHECK(mad(wiki) == 1);
  CHECK(mad_sigma(wiki) == Approx(1.4826).epsilon(kTight));
  // Even n, by hand: median 2.5, deviations {1.5, 0.5, 0.5, 1.5}, median 1 (R: mad(1:4, constant
  // = 1) is 1).
  CHECK(mad(std::vector<double>{1, 2, 3, 4}) == 1);
  // More than half equal: deviations {0, 0, 0, 4} have median 0.
  CHECK(mad(std::vector<double>{5, 5, 5, 1}) == 0);
  CHECK(mad(std::vector<double>{7}) == 0);
  CHECK(std::isnan(mad(std::vector<double>{})));
  CHECK(std::isnan(mad_sigma(std::vector<double>{})));
}

TEST_CASE("robust_cv is 1.4826 * MAD / |median|", "[stats]") {
  // {1, 1, 2, 2, 4, 6, 9}: 1.4826 * 1 / 2.
  CHECK(robust_cv(std::vector<double>{1, 1, 2, 2, 4, 6, 9}) == Approx(0.7413).epsilon(kTight));
  // Scale-free: 10x the values, same CV. {10, 11, 12}: median 11, MAD 1.
  CHECK(robust_cv(std::vector<double>{10, 11, 12}) == Approx(1.4826 / 11).epsilon(kTight));
  CHECK(robust_cv(std::vector<double>{100, 110, 120}) == Approx(1.4826 / 11).epsilon(kTight));
  CHECK(robust_cv(std::vector<double>{-12, -11, -10}) == Approx(1.4826 / 11).epsilon(kTight));
  CHECK(robust_cv(std::vector<double>{7}) == 0);
  CHECK(std::isnan(robust_cv(std::vector<double>{-1, 0, 1})));  // median 0
  CHECK(std::isnan(robust_cv(std::vector<double>{})));
}

TEST_CASE("moments: mean, sum of squares and the sample sd (n - 1), with edge cases", "[stats]") {
  // {1, 2, 3, 4}: mean 2.5, deviations +-1.5, +-0.5, ss 2 * 2.25 + 2 * 0.25 = 5; R: sd(1:4) is
  // sqrt(5 / 3) = 1.2909944.
  const ptebench::stats::Moments m = moments(std::vector<double>{1, 2, 3, 4});
  CHECK(m.n == 4);
  CHECK(m.mean == 2.5);
  CHECK(m.ss == 5);
  CHECK(m.sample_sd() == Approx(1.2909944487358056).epsilon(kTight));
  // Shifted, the same spread.
  CHECK(moments(std::vector<double>{101, 102, 103, 104}).sample_sd() ==
        Approx(1.2909944487358056).epsilon(kTight));
  const ptebench::stats::Moments one = moments(std::vector<double>{7});
  CHECK(one.mean == 7);
  CHECK(one.ss == 0);
  CHECK(std::isnan(one.sample_sd()));
  const ptebench::stats::Moments none = moments(std::vector<double>{});
  CHECK(none.n == 0);
  CHECK(none.mean == 0);
  CHECK(std::isnan(none.sample_sd()));
}

TEST_CASE("exact U distribution: Gaussian binomial coefficients and brute force", "[stats]") {
  SECTION("m = n = 3: partitions of u into at most 3 parts of at most 3, out of C(6, 3) = 20") {
    const std::vector<double> counts{1, 1, 2, 3, 3, 3, 3, 2, 1, 1};
    const std::vector<double> pmf = mann_whitney_exact_pmf(3, 3);
    REQUIRE(pmf.size() == counts.size());
    for (std::size_t u = 0; u < counts.size(); ++u) {
      CHECK(pmf[u] == Approx(counts[u] / 20).epsilon(kTight));
    }
  }
  SECTION("m = n = 4: the coefficients of [8 choose 4]_q, out of 70") {
    const std::vector<double> counts{1, 1, 2, 3, 5, 5, 7, 7, 8, 7, 7, 5, 5, 3, 2, 1, 1};
    const std::vector<double> pmf = mann_whitney_exact_pmf(4, 4);
    REQUIRE(pmf.size() == counts.size());
    for (std::size_t u = 0; u < counts.size(); ++u) {
      CHECK(pmf[u] == Approx(counts[u] / 70).epsilon(kTight));
    }
  }
  SECTION("unequal sizes and empty sides") {
    // m = 2, n = 3: partitions into at most 2 parts of at most 3: 1 1 2 2 2 1 1, out of 10.
    const std::vector<double> counts{1, 1, 2, 2, 2, 1, 1};
    for (const auto& pmf : {mann_whitney_exact_pmf(2, 3), mann_whitney_exact_pmf(3, 2)}) {
      REQUIRE(pmf.size() == counts.size());
      for (std::size_t u = 0; u < counts.size(); ++u) {
        CHECK(pmf[u] == Approx(counts[u] / 10).epsilon(kTight));
      }
    }
    CHECK(mann_whitney_exact_pmf(0, 5) == std::vector<double>{1.0});
    CHECK(mann_whitney_exact_pmf(4, 0) == std::vector<double>{1.0});
  }
  SECTION("every m, n <= 7 against enumeration of all C(m + n, n) orderings") {
    for (unsigned m = 1; m <= 7; ++m) {
      for (unsigned n = 1; n <= 7; ++n) {
        const std::vector<std::uint64_t> counts = enumerate_u_counts(m, n);
        double total = 0;
        for (const auto c : counts) total += static_cast<double>(c);
        const std::vector<double> pmf = mann_whitney_exact_pmf(m, n);
        REQUIRE(pmf.size() == counts.size());
        for (std::size_t u = 0; u < counts.size(); ++u) {
          INFO("m=" << m << " n=" << n << " u=" << u);
          CHECK(pmf[u] == Approx(static_cast<double>(counts[u]) / total).epsilon(kTight));
        }
      }
    }
  }
}

TEST_CASE("exact U distribution reproduces the published critical values", "[stats]") {
  // The standard table of two-tailed critical values of U at alpha = 0.05 for n1 = n2 = n
  // (e.g. Zar, Biostatistical Analysis, Table B.11; reproduced in most textbooks): the largest
  // u with P(U <= u) <= 0.025.
  const std::vector<std::pair<std::size_t, std::size_t>> table{
      {5, 2},   {6, 5},   {7, 8},   {8, 13},  {9, 17},  {10, 23}, {11, 30},  {12, 37},
      {13, 45}, {14, 55}, {15, 64}, {16, 75}, {17, 87}, {18, 99}, {19, 113}, {20, 127}};
  for (const auto& [n, critical] : table) {
    const std::vector<double> pmf = mann_whitney_exact_pmf(n, n);
    double cdf_at_critical = 0;
    for (std::size_t u = 0; u <= critical; ++u) cdf_at_critical += pmf[u];
    INFO("n1 = n2 = " << n);
    CHECK(cdf_at_critical <= 0.025);
    CHECK(cdf_at_critical + pmf[critical + 1] > 0.025);
  }
}

TEST_CASE("Mann-Whitney exact: R's documented example", "[stats]") {
  // R, ?wilcox.test: permeability constants of the human chorioamnion (Hollander & Wolfe 1973,
  // p. 69): wilcox.test(x, y, alternative = "g") prints W = 35, p-value = 0.1272.
  const std::vector<double> x{0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
  const std::vector<double> y{1.15, 0.88, 0.90, 0.74, 1.21};
  const auto result = mann_whitney(/*base=*/y, /*current=*/x);
  CHECK(result.exact);
  // By hand: x values above each y-count: 1+1+5+3+5+5+5+5+0+5 = 35.
  CHECK(result.u == 35);
  // Two-sided = 2 * P(W >= 35); R's one-sided 0.1272 is rounded to 4 digits.
  CHECK(result.p_value == Approx(2 * 0.1272).margin(1e-4));
  // And exactly, by enumeration of the C(15, 5) = 3003 orderings.
  const std::vector<std::uint64_t> counts = enumerate_u_counts(5, 10);
  std::uint64_t at_least_35 = 0;
  for (std::size_t u = 35; u < counts.size(); ++u) at_least_35 += counts[u];
  CHECK(result.p_value == Approx(2.0 * static_cast<double>(at_least_35) / 3003).epsilon(kTight));
  // Swapping the sides mirrors U about mn / 2 and keeps the two-sided p.
  const auto swapped = mann_whitney(x, y);
  CHECK(swapped.u == 50 - 35);
  CHECK(swapped.p_value == Approx(result.p_value).epsilon(kTight));
}

TEST_CASE("Mann-Whitney exact: extreme separation and the middle", "[stats]") {
  // m = n = 5, every current value above every base value: U = 25, p = 2 / C(10, 5) = 2/252.
  const std::vector<double> base{1, 2, 3, 4, 5};
  const std::vector<double> current{6, 7, 8, 9, 10};
  const auto high = mann_whitney(base, current);
  CHECK(high.exact);
  CHECK(high.u == 25);
  CHECK(high.p_value == Approx(2.0 / 252).epsilon(kTight));
  // Interleaved so that U = 12 or 13 (the middle of 0..25): p is capped at 1.
  const auto middle =
      mann_whitney(std::vector<double>{1, 3, 5, 7, 9}, std::vector<double>{2, 4, 6, 8, 10});
  CHECK(middle.u == 15);  // 2 > 1; 4 > 2; 6 > 3; 8 > 4; 10 > 5 values
  // P(U >= 15) = P(U <= 10) for 5, 5: counts u = 0..10 are 1 1 2 3 5 7 9 11 14 16 18 (partitions
  // into at most 5 parts of at most 5), sum 87, so p = 2 * 87 / 252.
  CHECK(middle.p_value == Approx(2.0 * 87 / 252).epsilon(kTight));
}

TEST_CASE("Mann-Whitney normal approximation with ties - by hand", "[stats]") {
  // base {1, 2, 2, 3}, current {2, 3, 4, 5}. Pooled ranks: 1 -> 1; the three 2s -> 3; the two
  // 3s -> 5.5; 4 -> 7; 5 -> 8. Rank sum of current = 3 + 5.5 + 7 + 8 = 23.5, U = 23.5 - 10 =
  // 13.5. mn/2 = 8, z = 5.5, continuity-corrected 5. Ties: (27 - 3) + (8 - 2) = 30.
  // Var = (16/12) (9 - 30/56) = 79/7. p = 2 (1 - Phi(5 / sqrt(79/7))) = erfc(5 / sqrt(2 * 79/7))
  // ~ 0.1367 (what R's wilcox.test(c(2,3,4,5), c(1,2,2,3)) prints, with a ties warning).
  const auto result =
      mann_whitney(std::vector<double>{1, 2, 2, 3}, std::vector<double>{2, 3, 4, 5});
  CHECK_FALSE(result.exact);
  CHECK(result.u == 13.5);
  CHECK(result.p_value == Approx(std::erfc(5 / std::sqrt(2 * 79.0 / 7))).epsilon(kTight));
  CHECK(result.p_value == Approx(0.1367).margin(1e-4));
}

TEST_CASE("Mann-Whitney normal approximation for sizes of 50 and more - by hand", "[stats]") {
  // base = 0..59, current = base + 0.5, no ties. current_j > base_i iff j >= i: U = 60*61/2 =
  // 1830. Var = mn (N + 1) / 12 = 3600 * 121 / 12 = 36300. z = (1830 - 1800 - 0.5) / sqrt(36300).
  std::vector<double> base;
  std::vector<double> current;
  for (int i = 0; i < 60; ++i) {
    base.push_back(i);
    current.push_back(i + 0.5);
  }
  const auto result = mann_whitney(base, current);
  CHECK_FALSE(result.exact);
  CHECK(result.u == 1830);
  CHECK(result.p_value ==
        Approx(std::erfc(29.5 / std::sqrt(36300.0) / std::sqrt(2.0))).epsilon(kTight));
}

TEST_CASE("Mann-Whitney edge cases: empty side - all equal", "[stats]") {
  const auto empty = mann_whitney(std::vector<double>{}, std::vector<double>{1, 2});
  CHECK(std::isnan(empty.p_value));
  CHECK_FALSE(empty.exact);
  const auto equal = mann_whitney(std::vector<double>{4, 4, 4}, std::vector<double>{4, 4, 4});
  CHECK(equal.p_value == 1);
  CHECK(equal.u == 4.5);
  CHECK_FALSE(equal.exact);
  // One against one, no ties: exact, U = 1, p = min(1, 2 * 1/2) = 1.
  const auto single = mann_whitney(std::vector<double>{1}, std::vector<double>{2});
  CHECK(single.exact);
  CHECK(single.u == 1);
  CHECK(single.p_value == 1);
}

TEST_CASE("Hodges-Lehmann: hand-computed estimates and intervals", "[stats]") {
  SECTION("m = n = 3: too small for 95%, so the interval is [min, max] with 90% coverage") {
    // Differences current_j - base_i for base {1, 2, 3}, current {2.5, 4, 7}:
    // 1.5 0.5 -0.5 | 3 2 1 | 6 5 4 -> sorted -0.5 0.5 1 1.5 2 3 4 5 6, median 2.
    // P(U <= 0) = 1/20 > 0.025, so k = 1: [D(1), D(9)], coverage 1 - 2/20 = 0.9.
    const auto e = hodges_lehmann(std::vector<double>{1, 2, 3}, std::vector<double>{2.5, 4, 7});
    CHECK(e.exact);
    CHECK(e.shift == 2);
    CHECK(e.low == -0.5);
    CHECK(e.high == 6);
    CHECK(e.achieved_confidence == Approx(0.9).epsilon(kTight));
  }
  SECTION("m = n = 5: ranks 3 and 23, the tabulated critical value 2 plus one") {
    // base {10, 20, 30, 40, 50}, current {13, 24, 35, 46, 57}; the 25 differences by row:
    // 13: 3 -7 -17 -27 -37 | 24: 14 4 -6 -16 -26 | 35: 25 15 5 -5 -15 | 46: 36 26 16 6 -4 |
    // 57: 47 37 27 17 7. Sorted: -37 -27 -26 -17 -16 -15 -7 -6 -5 -4 3 4 5 6 7 14 15 16 17 25
    // 26 27 36 37 47. Median D(13) = 5. P(U <= 2) = 4/252 <= 0.025 < P(U <= 3) = 7/252, so
    // k = 3: [D(3), D(23)] = [-26, 36], coverage 1 - 8/252.
    const auto e = hodges_lehmann(std::vector<double>{10, 20, 30, 40, 50},
                                  std::vector<double>{13, 24, 35, 46, 57});
    CHECK(e.exact);
    CHECK(e.shift == 5);
    CHECK(e.low == -26);
    CHECK(e.high == 36);
    CHECK(e.achieved_confidence == Approx(1 - 8.0 / 252).epsilon(kTight));
  }
  SECTION("m = n = 2: [min, max] with coverage 1 - 2/6") {
    const auto e = hodges_lehmann(std::vector<double>{1, 2}, std::vector<double>{3, 5});
    // Differences 2 1 4 3: median (2 + 3) / 2.
    CHECK(e.shift == 2.5);
    CHECK(e.low == 1);
    CHECK(e.high == 4);
    CHECK(e.achieved_confidence == Approx(2.0 / 3).epsilon(kTight));
  }
  SECTION("empty side: NaN") {
    const auto e = hodges_lehmann(std::vector<double>{}, std::vector<double>{1});
    CHECK(std::isnan(e.shift));
    CHECK(std::isnan(e.low));
    CHECK(std::isnan(e.high));
  }
}

TEST_CASE("Hodges-Lehmann: normal-approximation ranks - materialised and bisected", "[stats]") {
  // base = 0..n-1, current = base + 0.5: the differences are d + 0.5 with d = j - i taking
  // value d (n - |d|) times, so the number of differences <= D + 0.5 for D < 0 is s (s + 1) / 2
  // with s = n + D.
  // n = 60 (3600 differences, materialised): sigma = sqrt(3600 * 121 / 12) = 190.5256,
  //   k = floor(1800.5 - 1.959964 * 190.5256) = floor(1427.08) = 1427; s(s+1)/2 >= 1427 first
  //   at s = 53 (1431; s = 52 gives 1378), so D = -7: low = -6.5, and by symmetry about 0.5
  //   high = 7.5. Median: ranks 1800 and 1801 both have d = 0 (1770 below d = 0, 60 at it): 0.5.
  // n = 70 (4900 differences, bisected): sigma = sqrt(4900 * 141 / 12) = 239.948,
  //   k = floor(2450.5 - 470.29) = 1980; s(s+1)/2 >= 1980 first at s = 63 (2016; s = 62 gives
  //   1953), so D = -7 again: [-6.5, 7.5]; median 0.5 (2415 below d = 0, 70 at it).
  for (const int n : {60, 70}) {
    std::vector<double> base;
    std::vector<double> current;
    for (int i = 0; i < n; ++i) {
      base.push_back(i);
      current.push_back(i + 0.5);
    }
    const auto e = hodges_lehmann(base, current);
    INFO("n = " << n);
    CHECK_FALSE(e.exact);
    CHECK(e.shift == 0.5);
    CHECK(e.low == -6.5);
    CHECK(e.high == 7.5);
    CHECK(e.achieved_confidence == Approx(0.95).margin(0.002));
  }
}

TEST_CASE("Hodges-Lehmann order statistics equal brute force on random samples", "[stats]") {
  // The implementation selects order statistics without sorting all differences when there
  // are more than 4096; both paths must give exactly the k-th computed difference. The ranks
  // are recomputed here from the stated formulas.
  std::mt19937_64 rng(20240917);
  std::lognormal_distribution<double> noise(0.0, 0.3);
  const std::vector<std::pair<int, int>> sizes{{3, 4},   {10, 10},   {49, 49}, {64, 64},
                                               {70, 80}, {200, 150}, {7, 900}};
  for (const auto& [m, n] : sizes) {
    std::vector<double> base;
    std::vector<double> current;
    for (int i = 0; i < m; ++i) base.push_back(100 * noise(rng));
    for (int j = 0; j < n; ++j) current.push_back(-3 + 110 * noise(rng));
    const std::vector<double> d = sorted_differences(base, current);
    const std::size_t mn = d.size();
    const auto e = hodges_lehmann(base, current);
    INFO("m = " << m << " n = " << n);
    CHECK(e.shift == (mn % 2 == 1 ? d[mn / 2] : (d[mn / 2 - 1] + d[mn / 2]) / 2));
    std::size_t k = 0;
    if (m < 50 && n < 50) {
      REQUIRE(e.exact);  // continuous noise: no ties
      const std::vector<double> pmf = mann_whitney_exact_pmf(m, n);
      double cdf = pmf[0];
      while (cdf < 0.025) cdf += pmf[++k];
    } else {
      REQUIRE_FALSE(e.exact);
      const double sigma = std::sqrt(static_cast<double>(mn) * (m + n + 1) / 12.0);
      k = static_cast<std::size_t>(std::floor(mn / 2.0 + 0.5 - 1.959963984540054 * sigma));
    }
    k = std::max<std::size_t>(k, 1);
    CHECK(e.low == d[k - 1]);
    CHECK(e.high == d[mn - k]);
  }
}

TEST_CASE("Hodges-Lehmann ratio of log values", "[stats]") {
  // current = 1.1 * base: every log difference is log 1.1 + (log x_j - log x_i); the second
  // term's multiset is symmetric about 0, so the median is log 1.1 and the ratio 1.1.
  const std::vector<double> base{100, 103, 107, 109, 113};
  std::vector<double> current;
  for (const double b : base) current.push_back(1.1 * b);
  const auto r = hodges_lehmann_ratio(base, current);
  REQUIRE(r.has_value());
  CHECK(r->exact);
  CHECK(r->ratio == Approx(1.1).epsilon(kTight));
  // The interval is exp of the log-scale interval: checked against hodges_lehmann on logs.
  std::vector<double> log_base;
  std::vector<double> log_current;
  for (const double b : base) log_base.push_back(std::log(b));
  for (const double c : current) log_current.push_back(std::log(c));
  const auto on_logs = hodges_lehmann(log_base, log_current);
  CHECK(r->low == Approx(std::exp(on_logs.low)).epsilon(kTight));
  CHECK(r->high == Approx(std::exp(on_logs.high)).epsilon(kTight));
  CHECK(r->low < 1.1);
  CHECK(r->high > 1.1);

  SECTION("a value <= 0 or an empty side gives no estimate") {
    CHECK_FALSE(hodges_lehmann_ratio(std::vector<double>{0, 1, 2}, current).has_value());
    CHECK_FALSE(hodges_lehmann_ratio(base, std::vector<double>{1, -2}).has_value());
    CHECK_FALSE(hodges_lehmann_ratio(std::vector<double>{}, current).has_value());
  }
}

TEST_CASE("Benjamini-Hochberg adjustment", "[stats]") {
  SECTION("by hand, unsorted input") {
    // Sorted 0.01, 0.03, 0.04, 0.5 (m = 4): m p / rank = 0.04, 0.06, 0.0533, 0.5; running
    // minimum from the top: 0.5, 0.0533, 0.0533, 0.04. Back in input order:
    const auto adjusted = benjamini_hochberg(std::vector<double>{0.04, 0.01, 0.03, 0.5});
    REQUIRE(adjusted.size() == 4);
    CHECK(adjusted[0] == Approx(0.16 / 3).epsilon(kTight));
    CHECK(adjusted[1] == Approx(0.04).epsilon(kTight));
    CHECK(adjusted[2] == Approx(0.16 / 3).epsilon(kTight));
    CHECK(adjusted[3] == Approx(0.5).epsilon(kTight));
  }
  SECTION("evenly spaced p: all equal the largest (R: p.adjust(c(.01,.02,.03,.04,.05), 'BH'))") {
    for (const double a : benjamini_hochberg(std::vector<double>{0.01, 0.02, 0.03, 0.04, 0.05})) {
      CHECK(a == Approx(0.05).epsilon(kTight));
    }
  }
  SECTION("ties, NaN and empty") {
    // Two equal p: 2 * 0.02 / 1 = 0.04 and 2 * 0.02 / 2 = 0.02, minimum from the top: 0.02.
    const auto tied = benjamini_hochberg(std::vector<double>{0.02, 0.02});
    CHECK(tied[0] == Approx(0.02).epsilon(kTight));
    CHECK(tied[1] == Approx(0.02).epsilon(kTight));
    // NaN is not a hypothesis: m = 2 here, 0.01 -> 0.02, 0.04 -> 0.04.
    const double nan = std::nan("");
    const auto with_nan = benjamini_hochberg(std::vector<double>{nan, 0.01, nan, 0.04});
    CHECK(std::isnan(with_nan[0]));
    CHECK(with_nan[1] == Approx(0.02).epsilon(kTight));
    CHECK(std::isnan(with_nan[2]));
    CHECK(with_nan[3] == Approx(0.04).epsilon(kTight));
    CHECK(benjamini_hochberg(std::vector<double>{}).empty());
    CHECK(benjamini_hochberg(std::vector<double>{1, 1})[0] == 1);
  }
  SECTION("monotone, never below p, never above 1, on random input") {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<double> p(500);
    for (double& v : p) v = uniform(rng) * uniform(rng);
    const auto adjusted = benjamini_hochberg(p);
    for (std::size_t i = 0; i < p.size(); ++i) {
      CHECK(adjusted[i] >= p[i]);
      CHECK(adjusted[i] <= 1);
      for (std::size_t j = 0; j < p.size(); j += 37) {
        if (p[i] < p[j]) CHECK(adjusted[i] <= adjusted[j]);
      }
    }
  }
}

TEST_CASE("normal CDF and quantile", "[stats]") {
  // Standard normal table values, to the digits published in R (qnorm) and Abramowitz & Stegun.
  CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-13));
  CHECK(normal_quantile(0.995) == Approx(2.575829303548901).epsilon(1e-13));
  CHECK(normal_quantile(0.9) == Approx(1.281551565544601).epsilon(1e-13));
  CHECK(normal_quantile(0.5) == Approx(0.0).margin(1e-15));
  CHECK(normal_quantile(0.025) == Approx(-1.959963984540054).epsilon(1e-13));
  CHECK(normal_cdf(0) == 0.5);
  CHECK(normal_cdf(1.959963984540054) == Approx(0.975).epsilon(1e-14));
  for (const double p : {1e-10, 1e-4, 0.01, 0.3, 0.7, 0.99, 1 - 1e-6}) {
    CHECK(normal_cdf(normal_quantile(p)) == Approx(p).epsilon(1e-12));
  }
}
