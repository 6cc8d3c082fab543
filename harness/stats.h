// Robust statistics for comparing two sets of repetitions (DESIGN.md, Comparison): pure free
// functions: no state a caller can observe (the exact U distribution last computed is cached per
// thread). Conventions follow R (median, mad, wilcox.test, p.adjust "BH") so that a
// result can be checked against it; where they differ from R the comment says so.
//
// Contract for every function: the values are finite. A NaN or an infinity is a bug in the
// caller (the results reader rejects them), so it aborts with a message (first error tier).
// Inputs are never modified; functions that sort work on a copy.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace ptebench::stats {

// 1.4826 = 1 / Phi^-1(3/4): the factor that makes the MAD of a normal sample estimate its
// standard deviation (R's mad() default constant).
inline constexpr double kMadToSigma = 1.4826;

// A value beyond median +- kOutlierSigmas robust sd (mad_sigma) is an outlier: Hampel's
// identifier with Iglewicz & Hoaglin's bound (a modified z-score above 3.5; "How to Detect and
// Handle Outliers", ASQC 1993). Nightly's winsorized reference and its loadings' fit use it.
inline constexpr double kOutlierSigmas = 3.5;

// The middle value; for even n the mean of the two middle values (R's median()).
// n = 0: NaN. n = 1: that value. Ties need no special handling.
double median(std::span<const double> values);

// Median absolute deviation from the median, NOT scaled: median(|x_i - median(x)|).
// n = 0: NaN. n = 1: 0. More than half the values equal: 0.
double mad(std::span<const double> values);

// kMadToSigma * mad(values): a robust estimate of the standard deviation (R's mad()).
// Same edge cases as mad().
double mad_sigma(std::span<const double> values);

// Robust coefficient of variation: kMadToSigma * mad / |median|, a dimensionless spread
// (0.01 = 1%). n = 0 or median = 0: NaN. n = 1: 0.
double robust_cv(std::span<const double> values);

// The mean of the values and the sum of their squared deviations from it (two passes), for the
// t tests' pooled variances and sample sds. n = 0: mean and ss 0.
struct Moments {
  double mean = 0;
  double ss = 0;  // sum of squared deviations from the mean
  std::size_t n = 0;
  // sqrt(ss / (n - 1)), the sample standard deviation (R's sd()). n < 2: NaN.
  double sample_sd() const;
};
Moments moments(std::span<const double> values);

// Two-sided Mann–Whitney U test (Wilcoxon rank-sum) of `base` against `current`.
struct MannWhitney {
  // U of `current`: #{(i, j): current_j > base_i} + #{(i, j): current_j == base_i} / 2, in
  // [0, n_base * n_current]. Above n_base * n_current / 2 means `current` tends to be larger.
  // This is R's W for wilcox.test(current, base).
  double u = 0;
  double p_value = 0;  // two-sided, in (0, 1]
  bool exact = false;  // true: exact null distribution; false: normal approximation
};
// Exact when both sizes are below kExactLimit and no two values of the pooled sample are equal:
// p = min(1, 2 * P(U <= u)) or min(1, 2 * P(U >= u)), whichever tail u is in. Otherwise the
// normal approximation with tie correction of the variance and a continuity correction of 1/2
// towards the mean (R: wilcox.test(current, base, correct = TRUE), same choice of method).
// Either side empty: u = 0, p = NaN, exact = false. Every value equal (variance 0): p = 1
// (R gives NaN; no evidence of a difference is the useful answer here).
inline constexpr std::size_t kExactLimit = 50;
MannWhitney mann_whitney(std::span<const double> base, std::span<const double> current);

// The null distribution of U for sizes m and n without ties: element u (0 <= u <= m*n) is
// P(U = u) = (number of orderings with U = u) / C(m + n, m). Counted by the recurrence
// f(m, n, u) = f(m, n - 1, u - m) + f(m - 1, n, u) on where the largest value comes from, in
// double (relative error ~1e-15, no overflow for any size; O(m^2 n^2) time — use for
// m, n < kExactLimit). m = 0 or n = 0: {1}.
std::vector<double> mann_whitney_exact_pmf(std::size_t m, std::size_t n);

// Hodges–Lehmann estimate of the shift from `base` to `current`: the median of all
// n_base * n_current differences current_j - base_i, with the distribution-free interval of
// Moses (Hollander & Wolfe, Nonparametric Statistical Methods, 3rd ed., §4.3): with the
// differences sorted as D(1) <= ... <= D(mn), the interval is [D(k), D(mn + 1 - k)], where
//  - exact (both sizes < kExactLimit, no ties in the pooled sample): k is the smallest rank with
//    P(U <= k) >= (1 - confidence) / 2 under the exact null distribution, as R's
//    wilcox.test(current, base, conf.int = TRUE) does; k - 1 is then the largest u with
//    P(U <= u) < (1 - confidence) / 2, the tabulated two-sided critical value of U (tables
//    use <=; the two differ only when a tail probability equals the level exactly);
//  - otherwise: k = floor(mn/2 + 1/2 - z * sqrt(mn (m + n + 1) / 12)), z = Phi^-1((1 + conf)/2),
//    the normal approximation with continuity correction (no tie correction; R instead inverts
//    the asymptotic test numerically, so its interval and estimate differ slightly here);
//  - k < 1 (sizes too small for the confidence, e.g. 3 and 3 at 95%) is raised to 1, and the
//    interval is then [min D, max D] with the lower coverage given in achieved_confidence.
// Up to 4096 differences (e.g. 64 a side) are materialised and sorted. Beyond that the k-th
// smallest of {current_j - base_i} is selected without materialising them, by bisection over
// the doubles with an O(m + n) count per step (at most 64 steps), so the cost stays
// O((m + n) log(m + n)) time and O(m + n) memory for any size; either way the result is exactly
// the k-th computed difference.
// Either side empty: every field NaN, exact = false.
struct ShiftEstimate {
  double shift = 0;                // median of the differences
  double low = 0, high = 0;        // the interval
  double achieved_confidence = 0;  // the interval's coverage for the ranks used (>= requested
                                   // when exact and k >= 2; approximate otherwise)
  bool exact = false;
};
ShiftEstimate hodges_lehmann(std::span<const double> base, std::span<const double> current,
                             double confidence = 0.95);

// The same on log values, reported as a ratio: ratio = exp(shift of log(current) - log(base)),
// low/high = exp(interval). 1.05 means `current` is 5% larger. Because a rank-based interval
// of log values maps through exp unchanged, this is the natural estimate for timings whose
// noise is multiplicative. Any value <= 0 on either side, or either side empty: nullopt (a log
// is undefined; callers fall back to hodges_lehmann on raw values, e.g. for a page_faults
// count of 0).
struct RatioEstimate {
  double ratio = 1;
  double low = 1, high = 1;
  double achieved_confidence = 0;
  bool exact = false;
};
std::optional<RatioEstimate> hodges_lehmann_ratio(std::span<const double> base,
                                                  std::span<const double> current,
                                                  double confidence = 0.95);

// Benjamini–Hochberg adjusted p-values, in input order (R's p.adjust(p, "BH")): with the m
// finite p-values sorted ascending p(1) <= ... <= p(m), adj(i) = min over j >= i of
// m * p(j) / j, capped at 1; monotone in p. NaN entries are not counted in m and stay NaN (a row
// without a test is not a hypothesis). Empty input: empty output. Every finite p must be in
// [0, 1] (aborts otherwise).
std::vector<double> benjamini_hochberg(std::span<const double> p_values);

// Phi, the standard normal CDF, and its inverse (Acklam's rational approximation refined by one
// Halley step, |error| < 1e-13). Exposed for the tests and the report.
double normal_cdf(double z);
double normal_quantile(double probability);  // probability in (0, 1), aborts otherwise

// Student's t distribution with `df` degrees of freedom (df > 0, finite; aborts otherwise), for
// tests whose unit is the run (harness/noise_model.h). The CDF is the regularized incomplete beta
// function I_x(df/2, 1/2) with x = df / (df + t^2) (Abramowitz & Stegun 26.7.1), evaluated by
// its continued fraction (modified Lentz, Numerical Recipes 3rd ed. §6.4), relative error
// < 1e-12; R: pt(t, df). The quantile inverts it by bisection to 1e-12 (R: qt(p, df)).
double student_t_cdf(double t, double df);
double student_t_quantile(double probability, double df);  // probability in (0, 1)

}  // namespace ptebench::stats
