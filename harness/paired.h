// The paired comparison of `ptebench ab --duet`: A and B ran at the same moment, repetition by
// repetition, on two CPUs (bench/cli/ab_duet.h), so the i-th repetition of A and of B shared
// whatever the machine did in that window (host contention, frequency, another tenant's cache
// traffic). Bulej et al., "Duet Benchmarking: Improving Measurement Accuracy in the Cloud"
// (ICPE 2020): running the two at once and analysing them as pairs narrowed the intervals
// 2.3-12.5x on ScalaBench and 23.8-82.4x on SPEC CPU 2017 on cloud instances.
//
// Per (case, metric), the values of the two sides are paired by repetition (results column
// `repetition`; ab numbers each side's processes 0, 1, ...) and the sample is one difference per
// pair, d_i = log(B_i / A_i): what the pair shared cancels in it, so no drift is removed (the
// pairing is the correction) and the options' drift and unit do not apply. Then:
//  - change = exp(one-sample Hodges-Lehmann estimate of d) with its distribution-free 95%
//    interval (harness/signed_rank.h); p = two-sided Wilcoxon signed-rank test of d.
//  - a value <= 0 in a pair (e.g. a page_faults count of 0): d_i = B_i - A_i, the shift relative
//    to A's median (basis raw_shift), or no ratio (basis none) when that median is not positive.
//  - exact counts (harness/exact_verdict.h) are decided without statistics, as in compare.
//  - Benjamini-Hochberg across the table and the verdict rule of compare (compare::decide:
//    p_adjusted < alpha and, as options.threshold_on says, the whole interval or the estimate
//    at least threshold_pct beyond 1; `ab` puts it on the estimate).
//  - fewer than kMinRepetitions pairs: insufficient; present on one side only: missing.
// Assumptions: within a pair, A and B are exchangeable but for the change (ab swaps their CPUs
// every pair and which starts first every two, so a difference between the two CPUs or a head
// start enters the pairs with both signs and widens the interval instead of biasing it); pairs
// are independent of each other (each is two fresh processes). The pairing cancels what hits
// both sides alike; interference that hits one CPU only (another process on it) does not cancel
// and lands in that pair's ratio. Values unpaired (one side lost a repetition) count in n and the
// medians only.
#pragma once

#include <vector>

#include "harness/compare.h"
#include "harness/results_row.h"

namespace ptebench::compare {

// `a` is the baseline, `b` the new side. InputError when a (case, metric) has two units, a
// side holds one (case, metric, repetition) twice, a requested metric is in neither side, or
// options.between is set (it splits one input).
Comparison compare_paired(const std::vector<results::Row>& a, const std::vector<results::Row>& b,
                          CompareOptions options);

}  // namespace ptebench::compare
