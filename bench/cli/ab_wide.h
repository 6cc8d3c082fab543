// Which cases `ab` gives more repetitions after its first --repetitions (--max-repetitions).
#pragma once

#include <string>
#include <vector>

#include "harness/compare.h"

namespace ptebench::cli {

// The cases to give more repetitions (--max-repetitions): those with a row whose 95% interval of
// the ratio is wider than the threshold. `ab` flags a row whose estimate is beyond the threshold
// (ThresholdOn::estimate) and significant; with an interval no wider than the threshold (a
// standard error of at most threshold / 3.92), a change of 1.5 x the threshold is estimated beyond
// it with probability 0.975 or more, and lies 5.9 standard errors from no change. Twice the
// threshold was the rule before: an injected 3% slowdown (copy_range/x86_64/plain/dense/262144,
// intervals 2.1-4.5 points wide after 20 repetitions) was found in 8, 7 and 9 of 10 trials,
// missed where it read +1.5% to +2.7% (scripts/ab-check.sh, this VM, 2026-12-02). Kalibera & Jones
// ("Rigorous benchmarking in reasonable time", ISMM 2013) spend repetitions where the variance is;
// the rule looks at the widths only, never at where the estimate or the p-value lies, so it does
// not pick the rows that happen to look changed (for normal data the spread is independent of the
// mean: Stein's two-stage test). Exact counts and rows without a ratio interval are left as they
// are. Case names, sorted, each once.
std::vector<std::string> wide_cases(const compare::Comparison& comparison, double threshold_pct);

}  // namespace ptebench::cli
