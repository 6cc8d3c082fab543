#include "bench/cli/ab_wide.h"

#include <catch2/catch.hpp>
#include <limits>
#include <string>
#include <vector>

namespace {

using ptebench::compare::ChangeBasis;
using ptebench::compare::Comparison;
using ptebench::compare::ComparisonRow;

// A row of case none_scan/x86_64/plain/dense/<ptes>/kernel with the 95% interval [low, high] of
// its ratio.
ComparisonRow row(std::uint64_t ptes, double low, double high,
                  ChangeBasis basis = ChangeBasis::log_ratio) {
  ComparisonRow r;
  r.key.workload = "none_scan";
  r.key.pte_format = "x86_64";
  r.key.variant = "plain";
  r.key.layout = "dense";
  r.key.ptes = ptes;
  r.key.codegen = "kernel";
  r.metric = "ns_per_pte";
  r.basis = basis;
  r.ratio = (low + high) / 2;
  r.ratio_low = low;
  r.ratio_high = high;
  return r;
}

}  // namespace

TEST_CASE("ab's wide cases: an interval wider than the threshold, by its width alone") {
  Comparison c;
  c.rows = {row(512, 0.99, 1.011),    // 2.1 points: wider than 2
            row(4096, 0.99, 1.009),   // 1.9 points: narrow enough
            row(65536, 1.05, 1.085),  // 3.5 points, far from no change: still too wide
            row(262144, 1.0, 1.039)};
  CHECK(ptebench::cli::wide_cases(c, 2) ==
        std::vector<std::string>{"none_scan/x86_64/plain/dense/262144/kernel",
                                 "none_scan/x86_64/plain/dense/512/kernel",
                                 "none_scan/x86_64/plain/dense/65536/kernel"});
  CHECK(ptebench::cli::wide_cases(c, 4).empty());  // 3.9 points at most
}

TEST_CASE("ab's wide cases: each case once, and rows without a ratio interval are left alone") {
  Comparison c;
  ComparisonRow cycles = row(512, 0.9, 1.1);
  cycles.metric = "cycles_per_pte";
  c.rows = {row(512, 0.9, 1.1), cycles,
            row(4096, 0.5, 1.5, ChangeBasis::raw_shift),  // exact counts, raw shifts: as they are
            row(65536, std::numeric_limits<double>::quiet_NaN(), 1.5)};
  CHECK(ptebench::cli::wide_cases(c, 2) ==
        std::vector<std::string>{"none_scan/x86_64/plain/dense/512/kernel"});
}
