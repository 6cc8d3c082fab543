// The dashboard export: one row per run x case x metric with the median, the MAD, n and a
// distribution-free interval of the median, beside the long results CSV (results/README.md,
// Summary CSV). Plain RFC 4180 CSV with a header, numbers as plain decimals and no empty
// fields, so that Grafana's CSV sources, `sqlite3 .import --csv` and ClickHouse's CSVWithNames
// read it untransformed.
//
// The interval: the order statistics [x_(k), x_(n+1-k)] of the n sorted values, k the largest
// index with 2 * P(Binomial(n, 1/2) <= k - 1) <= 0.05, which cover the median with probability
// at least 95% whatever the distribution (e.g. Hollander & Wolfe, Nonparametric Statistical
// Methods, 3.6). Below n = 6 no such k exists; the interval is then [min, max], and
// ci_confidence says what it covers (1 - 2 / 2^n: 0.9375 for n = 5).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/results_row.h"

namespace ptebench::summary {

inline constexpr std::string_view kSummarySchema = "ptebench-summary/1";
inline constexpr std::string_view kSummaryColumns[] = {
    "schema",  "run_id",   "started_utc", "host",    "arch",    "kernel",       "git_rev", "suite",
    "codegen", "workload", "pte_format",  "variant", "layout",  "ptes",         "metric",  "unit",
    "n",       "median",   "mad",         "ci_low",  "ci_high", "ci_confidence"};

// The interval of the median of `sorted` (ascending, n >= 1): 1-based k and its confidence.
struct MedianInterval {
  std::size_t k;  // the interval is [sorted[k-1], sorted[n-k]]
  double confidence;
};
MedianInterval median_interval(std::size_t n);

// Collects rows (any number of runs, streamed) and renders the summary, groups in order of
// first appearance.
class SummaryBuilder {
 public:
  SummaryBuilder();
  ~SummaryBuilder();
  void add(const results::Row& row);
  std::string csv() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ptebench::summary
