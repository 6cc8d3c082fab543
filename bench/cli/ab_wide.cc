#include "bench/cli/ab_wide.h"

#include <cmath>
#include <set>

#include "harness/results_row.h"

namespace ptebench::cli {

std::vector<std::string> wide_cases(const compare::Comparison& comparison, double threshold_pct) {
  std::set<std::string> out;
  for (const compare::ComparisonRow& row : comparison.rows) {
    if (row.basis != compare::ChangeBasis::log_ratio) continue;
    if (!(std::isfinite(row.ratio_low) && std::isfinite(row.ratio_high))) continue;
    if ((row.ratio_high - row.ratio_low) * 100 > threshold_pct)
      out.insert(results::case_name(row.key));
  }
  return {out.begin(), out.end()};
}

}  // namespace ptebench::cli
