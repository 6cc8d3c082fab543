// Paired (one-sample) rank statistics: the Wilcoxon signed-rank test and the one-sample
// Hodges–Lehmann estimate with its interval, for `ab --duet` (harness/paired.h), where the i-th
// value of A and of B ran at the same moment and the per-pair difference d_i = log(B_i / A_i)
// is the sample. Conventions follow R's wilcox.test(d, conf.int = TRUE) so that a result can be
// checked against it; where they differ the comment says so. Same contract as harness/stats.h:
// the values are finite (a NaN or an infinity aborts), inputs are not modified.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace ptebench::stats {

// The null distribution of the signed-rank statistic V for n non-zero, untied differences:
// element v (0 <= v <= n(n+1)/2) is P(V = v) = #{subsets of {1..n} summing to v} / 2^n,
// counted by the subset-sum recurrence in double (exact up to 2^53 per count, n < kExactLimit).
std::vector<double> signed_rank_exact_pmf(std::size_t n);

// Two-sided Wilcoxon signed-rank test of "the differences are symmetric about 0".
struct SignedRank {
  // V: the sum of the ranks of |d_i| over the positive d_i (ranks among the non-zero |d_i|,
  // ties averaged); R's V. Above n'(n'+1)/4 means the differences tend to be positive.
  double v = 0;
  std::size_t n_used = 0;  // non-zero differences (zeros are dropped, as R does)
  double p_value = 0;      // two-sided, in (0, 1]
  bool exact = false;
};
// Exact when n_used < kExactLimit (stats.h), no difference is 0 and no two |d_i| are equal
// (as R): p = min(1, 2 * min(P(V <= v), P(V >= v))). Otherwise the normal approximation with mean
// n'(n'+1)/4, variance n'(n'+1)(2n'+1)/24 - sum(t^3 - t)/48 over tie groups of size t, and a
// continuity correction of 1/2 towards the mean (R: correct = TRUE). Every difference 0, or a
// variance of 0: p = 1 (no evidence of a change; R gives NaN). Empty input: p = NaN.
SignedRank signed_rank(std::span<const double> differences);

// One-sample Hodges–Lehmann estimate: the median of the n(n+1)/2 Walsh averages
// (d_i + d_j) / 2, i <= j, with the distribution-free interval [W(k), W(N + 1 - k)] of the sorted
// Walsh averages (Hollander & Wolfe, Nonparametric Statistical Methods, 3rd ed., §3.1-3.3), where
//  - exact (as for signed_rank): k is the smallest v with P(V <= v) >= (1 - confidence) / 2, as
//    R's qsignrank; coverage 1 - 2 P(V <= k - 1);
//  - otherwise: k = floor(N/2 + 1/2 - z sqrt(n(n+1)(2n+1)/24)), z = Phi^-1((1 + conf)/2) (R
//    inverts the asymptotic test numerically instead, so it differs slightly here);
//  - k < 1 (n too small for the confidence, e.g. n = 5 at 95%) is raised to 1: [min, max] of
//    the Walsh averages, with the lower coverage in achieved_confidence.
// Zero differences are dropped first, as R does (the interval then matches the test); every
// difference 0: shift = low = high = 0, coverage 1. The Walsh averages are materialised: O(n^2)
// memory, fine for ab's repetitions (20..1000). Empty input: every field NaN.
struct PairedShift {
  double shift = 0;
  double low = 0, high = 0;
  double achieved_confidence = 0;
  bool exact = false;
};
PairedShift hodges_lehmann_paired(std::span<const double> differences, double confidence = 0.95);

}  // namespace ptebench::stats
