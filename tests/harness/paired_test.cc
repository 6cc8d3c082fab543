// Tests for harness/paired (ab --duet): synthetic pairs whose shared machine factor is large and
// whose change is known, so that the pairing must cancel the factor to see the change; the
// verdict rules (missing, insufficient, exact, all zero) and refusals one by one.
#include "harness/paired.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "harness/input_error.h"
#include "harness/report.h"

namespace {

using ptebench::InputError;
using ptebench::compare::ChangeBasis;
using ptebench::compare::compare_paired;
using ptebench::compare::CompareOptions;
using ptebench::compare::Comparison;
using ptebench::compare::ComparisonRow;
using ptebench::compare::Unit;
using ptebench::compare::Verdict;
using ptebench::results::Row;

// The machine's state in repetition r, shared by A and B of the pair: +-90%, far more than any
// change tested here.
constexpr double kMachine[] = {0.6, 1.9, 1.0, 1.4, 0.7, 1.2, 0.8, 1.6, 0.9, 1.1, 1.3};
// Per-pair noise of B against A (log), in units of 1e-4: symmetric about 0, no two magnitudes
// equal once a change is added.
constexpr double kPairNoise[] = {-5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 0};

Row make_row(const std::string& workload, const std::string& metric, std::uint32_t repetition,
             double value) {
  Row row;
  row.run_id = "duet";
  row.codegen = "kernel";
  row.workload = workload;
  row.pte_format = "x86_64";
  row.variant = "plain";
  row.layout = "dense";
  row.ptes = 4096;
  row.repetition = repetition;
  row.metric = metric;
  row.value = value;
  row.unit = metric == "ns_per_pte" ? "ns" : "count";
  return row;
}

// Repetitions [first, last) of one case on both sides: A = 10 * machine, B = A * ratio * noise.
void add_pairs(std::vector<Row>& a, std::vector<Row>& b, const std::string& workload, double ratio,
               std::uint32_t first = 0, std::uint32_t last = 10) {
  for (std::uint32_t r = first; r < last; ++r) {
    const double value_a = 10 * kMachine[r];
    a.push_back(make_row(workload, "ns_per_pte", r, value_a));
    b.push_back(
        make_row(workload, "ns_per_pte", r, value_a * ratio * std::exp(kPairNoise[r] * 1e-4)));
  }
}

const ComparisonRow& row_of(const Comparison& c, const std::string& workload,
                            const std::string& metric = "ns_per_pte") {
  for (const ComparisonRow& row : c.rows)
    if (row.key.workload == workload && row.metric == metric) return row;
  FAIL("no row " << workload << " " << metric);
  throw;
}

}  // namespace

TEST_CASE("paired: a 10% change under a +-90% shared machine factor is found - and A/A is not") {
  std::vector<Row> a, b;
  add_pairs(a, b, "zap_range", 1.10);
  // A/A with alternating noise: V = 25 of mean 27.5, p = 2 * 433 / 1024 (signed_rank_test).
  for (std::uint32_t r = 0; r < 10; ++r) {
    const double value_a = 10 * kMachine[r];
    const double sign = r % 2 == 0 ? 1 : -1;
    a.push_back(make_row("copy_range", "ns_per_pte", r, value_a));
    b.push_back(make_row("copy_range", "ns_per_pte", r, value_a * std::exp(sign * (r + 1) * 1e-4)));
  }
  const Comparison c = compare_paired(a, b, CompareOptions{});
  CHECK(c.paired);
  REQUIRE(c.rows.size() == 2);

  const ComparisonRow& slow = row_of(c, "zap_range");
  CHECK(slow.basis == ChangeBasis::log_ratio);
  CHECK(slow.n_base == 10);
  CHECK(slow.n_new == 10);
  // The Walsh averages of log(1.1) + noise are symmetric about log(1.1).
  CHECK(slow.ratio == Approx(1.10).epsilon(1e-12));
  CHECK(slow.ratio_low > 1.10 * std::exp(-5e-4));
  CHECK(slow.ratio_low < 1.10);
  CHECK(slow.ratio_high > 1.10);
  CHECK(slow.ratio_high < 1.10 * std::exp(5e-4));
  CHECK(slow.p_value == 2.0 / 1024);         // every pair slower: V = 55
  CHECK(slow.p_adjusted == 2 * 2.0 / 1024);  // BH over the two rows
  CHECK(slow.verdict == Verdict::regression);

  const ComparisonRow& same = row_of(c, "copy_range");
  CHECK(same.p_value == 2.0 * 433 / 1024);
  CHECK(same.ratio_low < 1);
  CHECK(same.ratio_high > 1);
  CHECK(same.verdict == Verdict::unchanged);
  CHECK(c.summary.count(Verdict::regression) == 1);
  CHECK(c.summary.count(Verdict::unchanged) == 1);
  CHECK(c.has_regression());
  CHECK(c.drift.empty());  // the pairing is the correction

  // The same values unpaired (compare's repetition unit): the machine factor hides the change.
  CompareOptions unpaired;
  unpaired.unit = Unit::repetition;
  const Comparison u = ptebench::compare::compare(a, b, unpaired);
  CHECK(row_of(u, "zap_range").verdict == Verdict::unchanged);
}

TEST_CASE("paired: pairs are matched by repetition, not by position") {
  std::vector<Row> a, b;
  add_pairs(a, b, "fork", 1.10, 0, 10);
  // B lost repetition 0 and has one more, 10, whose A is missing: 9 pairs.
  b.erase(b.begin());
  b.push_back(make_row("fork", "ns_per_pte", 10, 10 * kMachine[10] * 1.10));
  const Comparison c = compare_paired(a, b, CompareOptions{});
  const ComparisonRow& row = row_of(c, "fork");
  CHECK(row.n_base == 10);
  CHECK(row.n_new == 10);
  // Matched by position the ratios would be 1.1 * machine[r + 1] / machine[r]: 0.73 .. 3.5.
  CHECK(row.ratio == Approx(1.10).epsilon(1e-3));
  CHECK(row.verdict == Verdict::regression);
}

TEST_CASE("paired: missing - insufficient - zero and exact rows") {
  std::vector<Row> a, b;
  add_pairs(a, b, "only_a", 1.0);
  b.erase(std::remove_if(b.begin(), b.end(), [](const Row& r) { return r.workload == "only_a"; }),
          b.end());
  add_pairs(a, b, "few", 1.5, 0, 4);  // 4 pairs, fewer than kMinRepetitions
  for (std::uint32_t r = 0; r < 10; ++r) {
    a.push_back(make_row("faults", "page_faults", r, 0));
    b.push_back(make_row("faults", "page_faults", r, 0));
    a.push_back(make_row("faults", "instructions_per_pte", r, 100));
    b.push_back(make_row("faults", "instructions_per_pte", r, 102));
  }
  const Comparison c = compare_paired(a, b, CompareOptions{});
  CHECK(row_of(c, "only_a").verdict == Verdict::missing);
  CHECK(row_of(c, "only_a").n_new == 0);
  const ComparisonRow& few = row_of(c, "few");
  CHECK(few.verdict == Verdict::insufficient);
  CHECK(std::isnan(few.p_value));
  CHECK(few.ratio == Approx(1.5).epsilon(1e-3));  // estimated, not judged
  const ComparisonRow& zero = row_of(c, "faults", "page_faults");
  CHECK(zero.verdict == Verdict::unchanged);
  CHECK(zero.p_value == 1);
  CHECK(zero.basis == ChangeBasis::none);
  CHECK(c.zero_metrics == std::vector<std::string>{"page_faults"});
  const ComparisonRow& exact = row_of(c, "faults", "instructions_per_pte");
  CHECK(exact.exact);
  CHECK(exact.ratio == Approx(1.02));
  CHECK(exact.verdict == Verdict::regression);
}

TEST_CASE("paired: a value <= 0 in a pair is compared as a raw shift against A's median") {
  std::vector<Row> a, b;
  // A: 0, 10, 20, ... 90 (median 45); B = A + 9 + a little, so that no two |d| tie.
  for (std::uint32_t r = 0; r < 10; ++r) {
    a.push_back(make_row("faults", "page_faults", r, 10.0 * r));
    b.push_back(make_row("faults", "page_faults", r, 10.0 * r + 9 + 0.01 * r));
  }
  const Comparison c = compare_paired(a, b, CompareOptions{});
  const ComparisonRow& row = row_of(c, "faults", "page_faults");
  CHECK(row.basis == ChangeBasis::raw_shift);
  CHECK(row.ratio == Approx(1 + 9.045 / 45));  // the median Walsh average of 9 + 0.01 r
  CHECK(row.p_value == 2.0 / 1024);
  CHECK(row.verdict == Verdict::regression);
}

TEST_CASE("paired: differences that overflow have no relative size (basis none), as compare's") {
  std::vector<Row> a, b;
  // A at 0 and near -max, B near +max: B - A overflows to +inf for some pairs.
  for (std::uint32_t r = 0; r < 10; ++r) {
    a.push_back(make_row("faults", "page_faults", r, r % 2 == 0 ? 0.0 : -1.7e308));
    b.push_back(make_row("faults", "page_faults", r, 1.7e308));
  }
  const Comparison c = compare_paired(a, b, CompareOptions{});
  const ComparisonRow& row = row_of(c, "faults", "page_faults");
  CHECK(row.basis == ChangeBasis::none);
  CHECK(std::isnan(row.ratio));
}

TEST_CASE("paired: refusals - a repetition twice, two units, --between, an absent metric") {
  std::vector<Row> a, b;
  add_pairs(a, b, "zap_range", 1.0);
  std::vector<Row> twice = a;
  twice.push_back(a.front());
  CHECK_THROWS_AS(compare_paired(twice, b, CompareOptions{}), InputError);
  std::vector<Row> units = b;
  units.front().unit = "us";
  CHECK_THROWS_AS(compare_paired(a, units, CompareOptions{}), InputError);
  CompareOptions between;
  between.between = ptebench::compare::parse_between("variant=plain,read_once");
  CHECK_THROWS_AS(compare_paired(a, b, between), InputError);
  CompareOptions metric;
  metric.metrics = {"cycles_per_pte"};
  CHECK_THROWS_AS(compare_paired(a, b, metric), InputError);
}

TEST_CASE("paired: the report's legend names the paired test - the table format is compare's") {
  std::vector<Row> a, b;
  add_pairs(a, b, "zap_range", 1.10);
  const Comparison c = compare_paired(a, b, CompareOptions{});
  std::ostringstream table, csv;
  ptebench::report::make_comparison_reporter("table")->write(table, c);
  CHECK(table.str().find("Wilcoxon signed-rank") != std::string::npos);
  CHECK(table.str().find("Mann-Whitney") == std::string::npos);
  ptebench::report::make_comparison_reporter("csv")->write(csv, c);
  CHECK(csv.str().find(",regression,") != std::string::npos);
}
