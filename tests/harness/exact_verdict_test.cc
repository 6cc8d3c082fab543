// Tests for harness/exact_verdict through compare() and the reports: exact counts are decided
// without statistics (equal: unchanged; a change at least the threshold: a verdict), take no
// part in drift removal, and are shown as "exact"; counts that vary stay statistical.
#include "harness/exact_verdict.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "harness/compare.h"
#include "harness/report.h"

namespace {

using ptebench::compare::compare;
using ptebench::compare::compare_between;
using ptebench::compare::CompareOptions;
using ptebench::compare::Comparison;
using ptebench::compare::ComparisonRow;
using ptebench::compare::Verdict;
using ptebench::results::Row;

Row make_row(const std::string& run_id, const std::string& workload, const std::string& variant,
             const std::string& metric, std::uint32_t repetition, double value) {
  Row row;
  row.run_id = run_id;
  row.codegen = "kernel";
  row.workload = workload;
  row.pte_format = "x86_64";
  row.variant = variant;
  row.layout = "dense";
  row.ptes = 4096;
  row.repetition = repetition;
  row.metric = metric;
  row.value = value;
  row.unit = metric == "instructions_per_pte" ? "instructions" : "ns";
  return row;
}

// `reps` rows of one case, every one `value` (an exact count), or value * (1 + 1e-4 r) (a count
// that varies).
void add(std::vector<Row>& rows, const std::string& run, const std::string& workload,
         const std::string& variant, int reps, double value, bool varies = false,
         const std::string& metric = "instructions_per_pte") {
  for (int r = 0; r < reps; ++r)
    rows.push_back(make_row(run, workload, variant, metric, static_cast<std::uint32_t>(r),
                            varies ? value * (1 + 1e-4 * r) : value));
}

const ComparisonRow& row_of(const Comparison& c, const std::string& workload) {
  for (const ComparisonRow& row : c.rows)
    if (row.key.workload == workload) return row;
  FAIL("no row for " << workload);
  return c.rows.front();
}

std::string render(const Comparison& c, const char* format) {
  std::ostringstream out;
  ptebench::report::make_comparison_reporter(format, /*all=*/true)->write(out, c);
  return out.str();
}

}  // namespace

TEST_CASE("exact counts: equal is unchanged with certainty, no p-value, shown as exact") {
  std::vector<Row> base, current;
  for (const char* w : {"copy_range", "zap_range", "munmap"}) {
    add(base, "a", w, "plain", 2, 14.142578125);
    add(current, "b", w, "plain", 2, 14.142578125);
  }
  const Comparison c = compare(base, current, CompareOptions{});
  REQUIRE(c.rows.size() == 3);
  for (const ComparisonRow& row : c.rows) {
    CHECK(row.exact);
    CHECK(row.verdict == Verdict::unchanged);
    CHECK(std::isnan(row.p_value));
    CHECK(row.ratio == 1.0);
    CHECK(row.ratio_low == 1.0);
    CHECK(row.ratio_high == 1.0);
  }
  CHECK(c.summary.count(Verdict::unchanged) == 3);
  const std::string table = render(c, "table");
  CHECK(table.find("same instructions (exact)") != std::string::npos);
  CHECK(table.find(ptebench::compare::exact::legend(CompareOptions{})) != std::string::npos);
  CHECK(table.find("flagged when the change is >= 0.5% (--exact-threshold)") != std::string::npos);
  CHECK(table.find("[+") == std::string::npos);  // no interval anywhere
  CHECK(table.find("[-") == std::string::npos);
  const std::string csv = render(c, "csv");
  CHECK(csv.find(",exact,,,unchanged,") != std::string::npos);  // change_basis, p, p_adj
}

TEST_CASE("exact counts: a change of at least the threshold is a verdict without statistics") {
  std::vector<Row> base, current;
  add(base, "a", "copy_range", "plain", 2, 100);
  add(current, "b", "copy_range", "plain", 2, 101);  // +1%
  add(base, "a", "zap_range", "plain", 2, 100);
  add(current, "b", "zap_range", "plain", 2, 99);  // -1%
  add(base, "a", "munmap", "plain", 2, 100);
  add(current, "b", "munmap", "plain", 2, 100.1);                 // +0.1%
  const Comparison c = compare(base, current, CompareOptions{});  // --exact-threshold 0.5
  CHECK(row_of(c, "copy_range").verdict == Verdict::regression);
  CHECK(row_of(c, "copy_range").ratio == 1.01);
  CHECK(row_of(c, "zap_range").verdict == Verdict::improvement);
  CHECK(row_of(c, "munmap").verdict == Verdict::unchanged);  // below the threshold
  CHECK(c.has_regression());
  CHECK(ptebench::report::format_change(row_of(c, "copy_range")) == "+1.000% (exact)");
  CHECK(ptebench::report::format_change(row_of(c, "zap_range")) == "-1.000% (exact)");
  // --threshold is for statistics: it does not hide an exact 1%; --exact-threshold 2 does.
  CompareOptions timing_threshold;
  timing_threshold.threshold_pct = 10;
  CHECK(row_of(compare(base, current, timing_threshold), "copy_range").verdict ==
        Verdict::regression);
  CompareOptions exact_threshold;
  exact_threshold.exact_threshold_pct = 2;
  CHECK(row_of(compare(base, current, exact_threshold), "copy_range").verdict ==
        Verdict::unchanged);
}

TEST_CASE("exact counts keep a change common to every case: no drift is removed from them") {
  // 25 cases, all +3% (a compiler upgrade): with drift removal this common shift would be
  // divided out as the machine's; exact counts have no machine drift, so each is a regression.
  std::vector<Row> base, current;
  for (int i = 0; i < 25; ++i) {
    const std::string w = "w" + std::to_string(i);
    add(base, "a", w, "plain", 5, 20 + i);
    add(current, "b", w, "plain", 5, (20 + i) * 1.03);
  }
  const Comparison c = compare(base, current, CompareOptions{});
  CHECK(c.summary.count(Verdict::regression) == 25);
  for (const ComparisonRow& row : c.rows) {
    CHECK(row.exact);
    CHECK(std::isnan(row.common_shift_removed));
  }
  CHECK(c.drift.empty());  // no statistical row of this metric: nothing to estimate drift from
}

TEST_CASE("counts that vary, other metrics and single samples stay statistical") {
  std::vector<Row> base, current;
  add(base, "a", "copy_range", "plain", 2, 100, /*varies=*/true);
  add(current, "b", "copy_range", "plain", 2, 100, true);
  add(base, "a", "zap_range", "plain", 2, 7, false, "ns_per_pte");  // equal, but a timing
  add(current, "b", "zap_range", "plain", 2, 7, false, "ns_per_pte");
  add(base, "a", "munmap", "plain", 1, 5);  // one sample cannot show that it does not vary
  add(current, "b", "munmap", "plain", 1, 5);
  const Comparison c = compare(base, current, CompareOptions{});
  for (const ComparisonRow& row : c.rows) {
    CHECK_FALSE(row.exact);
    CHECK(row.verdict == Verdict::insufficient);
  }
}

TEST_CASE("exact counts from a base of zero: the sign decides") {
  std::vector<Row> base, current;
  add(base, "a", "copy_range", "plain", 2, 0);
  add(current, "b", "copy_range", "plain", 2, 3);
  const Comparison c = compare(base, current, CompareOptions{});
  CHECK(c.rows[0].exact);
  CHECK(c.rows[0].verdict == Verdict::regression);
  CHECK(ptebench::report::format_change(c.rows[0]) == "+3 (exact, base 0)");
}

TEST_CASE("between variant=plain,read_once on an exact run: same instructions") {
  std::vector<Row> run;
  add(run, "a", "copy_range", "plain", 2, 14.142578125);
  add(run, "a", "copy_range", "read_once", 2, 14.142578125);
  add(run, "a", "copy_range", "arch", 2, 15.87);
  add(run, "a", "reclaim_walk", "plain", 2, 5.15);
  add(run, "a", "reclaim_walk", "read_once", 2, 5.53);
  CompareOptions options;
  options.between = ptebench::compare::parse_between("variant=plain,read_once");
  const Comparison c = compare_between(run, options);
  REQUIRE(c.rows.size() == 2);
  CHECK(row_of(c, "copy_range").exact);
  CHECK(row_of(c, "copy_range").verdict == Verdict::unchanged);
  CHECK(row_of(c, "reclaim_walk").verdict == Verdict::regression);
  const std::string table = render(c, "md");
  CHECK(table.find("| same instructions (exact) | exact | unchanged |") != std::string::npos);
  CHECK(table.find("| +7.379% (exact) | exact | **regression** |") != std::string::npos);
}

TEST_CASE("the exact threshold must be a finite percentage of at least 0") {
  CompareOptions options;
  options.exact_threshold_pct = -1;
  CHECK_THROWS_WITH(options.validate(), "--exact-threshold -1: must be a finite percentage >= 0");
  options.exact_threshold_pct = 0;
  CHECK_NOTHROW(options.validate());
}
