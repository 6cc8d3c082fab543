// Verdicts without statistics for exact counts (issue 13): a comparison row whose metric
// Valgrind counts exactly (harness/exact_metrics.h, kExactMetrics) and whose samples show it —
// at least kMinExactSamples on each side, every sample of a side the same value — has no noise
// to test against. Then:
//  - equal values: unchanged, with certainty (no p-value, no interval);
//  - otherwise the change is the ratio new/base itself (its interval is that point): a
//    regression / improvement when it lies at least exact_threshold_pct (--exact-threshold,
//    default 0.5%) beyond 1 (for every metric of ours larger is worse), else unchanged; from a
//    base of 0 the sign decides (no ratio). Not --threshold: that one is sized to what noise
//    lets a timing show (2%), while an exact count has no noise, and a 1% change in the
//    instructions of a walk is a real change in its code or its work.
// Such rows take no part in drift removal (an exact count has no machine drift) nor in the
// Benjamini–Hochberg adjustment; the report says "exact" where an interval and a p-value would
// be. A metric that varies between repetitions (a PMU count) is compared statistically as before.
// harness/compare.cc and harness/report.cc call this unit in a few marked lines.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/compare.h"

namespace ptebench::compare::exact {

// Two samples a side are the least that can show that a count does not vary.
inline constexpr std::size_t kMinExactSamples = 2;

// Whether the (case, metric) with these samples is compared exactly (see above).
bool is_exact(std::string_view metric, std::span<const double> base,
              std::span<const double> current);

// Fills row.ratio, ratio_low, ratio_high (all the same), basis and verdict, and sets row.exact,
// for a row whose medians are set and whose samples is_exact() accepted.
void decide(ComparisonRow& row, double threshold_pct);

// The change column of an exact row: "same instructions (exact)" (the row's unit) when the
// values are equal, else e.g. "+1.000% (exact)"; "+5 (exact, base 0)" without a ratio.
std::string format_change(const ComparisonRow& row);

// The p column of an exact row.
inline constexpr std::string_view kPColumn = "exact";

// The legend line the table and md formats add when a row is exact.
std::string legend(const CompareOptions& options);

// InputError "--exact-threshold X: must be a finite percentage >= 0" otherwise.
void validate_threshold(double exact_threshold_pct);

bool any_exact(const Comparison& comparison);

}  // namespace ptebench::compare::exact
