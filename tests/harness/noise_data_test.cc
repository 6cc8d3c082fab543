// compare on real noise: the shared runs of one build on a busy 2-vCPU VM
// (tests/data/noisy-vm-2026-12-01/README.md). Nothing changed between them, so every flag is
// false. Before the run-level model (compare.h, Unit::run) the six pairs of quick runs flagged
// 2, 6, 45, 34, 59 and 0 of 111 ns_per_pte rows; the ab pair 0.
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "harness/compare.h"
#include "harness/results_reader.h"
#include "test_files.h"

namespace {

using ptebench::compare::CompareOptions;
using ptebench::compare::Comparison;
using ptebench::compare::Drift;
using ptebench::compare::InconclusiveReason;
using ptebench::compare::Unit;
using ptebench::compare::Verdict;
using ptebench::results::Row;

// One of the shared files, gunzipped into a temporary file and read as any results file.
std::vector<Row> load(const std::string& name) {
  const std::string path =
      std::string(PTEBENCH_SOURCE_DIR) + "/tests/data/noisy-vm-2026-12-01/" + name + ".csv.gz";
  gzFile in = gzopen(path.c_str(), "rb");
  REQUIRE(in != nullptr);
  std::string text;
  char buffer[1 << 16];
  int got = 0;
  while ((got = gzread(in, buffer, sizeof buffer)) > 0)
    text.append(buffer, static_cast<std::size_t>(got));
  gzclose(in);
  REQUIRE(got == 0);
  ptebench::test::TempDir dir;
  return ptebench::results::read_results(dir.write(name + ".csv", text));
}

const std::vector<Row>& quick_run(int i) {
  static const std::vector<std::vector<Row>> runs = {load("quick-run-1"), load("quick-run-2"),
                                                     load("quick-run-3"), load("quick-run-4")};
  return runs.at(static_cast<std::size_t>(i - 1));
}

// The low-noise case the injection tests use (copy_range: run-to-run sd 0.9% on this VM).
template <class RowOrKey>
bool injected_case(const RowOrKey& r) {
  return r.workload == "copy_range" && r.pte_format == "x86_64" && r.variant == "plain" &&
         r.layout == "dense" && r.ptes == 262144 && r.codegen == "kernel";
}

std::vector<Row> inject(std::vector<Row> rows, double factor) {
  for (Row& r : rows) {
    if (injected_case(r) && r.metric == "ns_per_pte") r.value *= factor;
  }
  return rows;
}

std::size_t flagged(const Comparison& c) {
  return c.summary.count(Verdict::regression) + c.summary.count(Verdict::improvement);
}

bool whole_run_flagged(const Comparison& c) {
  for (const auto& note : c.drift) {
    if (note.common_verdict == Verdict::regression || note.common_verdict == Verdict::improvement)
      return true;
  }
  return false;
}

// The options `ab` uses (bench/cmd_ab.cc): its repetitions are separate, alternating processes.
CompareOptions ab_options() {
  CompareOptions o;
  o.unit = Unit::repetition;
  o.drift = Drift::repetition;
  return o;
}

}  // namespace

TEST_CASE("noisy VM: no pair of same-build quick runs flags anything (default options)",
          "[noise][data]") {
  for (int a = 1; a <= 4; ++a) {
    for (int b = a + 1; b <= 4; ++b) {
      const Comparison c = ptebench::compare::compare(quick_run(a), quick_run(b), {});
      INFO("quick runs " << a << " and " << b << ": " << c.summary.count(Verdict::inconclusive)
                         << " inconclusive of " << c.rows.size());
      CHECK(c.rows.size() == 444);  // 111 cases x 4 metrics
      CHECK(flagged(c) == 0);
      CHECK_FALSE(whole_run_flagged(c));
      CHECK_FALSE(c.has_regression());
      // Whatever is not unchanged says why: one run a side cannot know its run-to-run noise.
      for (const auto& row : c.rows) {
        if (row.verdict == Verdict::inconclusive) {
          CHECK(row.reason != InconclusiveReason::none);
        }
      }
    }
  }
}

TEST_CASE("noisy VM: with the others as history, or two runs a side, nothing is flagged",
          "[noise][data]") {
  for (int a = 1; a <= 4; ++a) {
    for (int b = a + 1; b <= 4; ++b) {
      ptebench::compare::Collector collector{CompareOptions{}};
      for (const Row& r : quick_run(a)) collector.add_base(r);
      collector.next_input();
      for (const Row& r : quick_run(b)) collector.add_new(r);
      for (int h = 1; h <= 4; ++h) {
        if (h == a || h == b) continue;
        collector.next_input();
        for (const Row& r : quick_run(h)) collector.add_history(r);
      }
      const Comparison c = std::move(collector).finish();
      INFO("quick runs " << a << " and " << b << " with the other two as history");
      CHECK(flagged(c) == 0);
      CHECK(c.summary.count(Verdict::inconclusive) == 0);  // every case has its own noise
      CHECK_FALSE(whole_run_flagged(c));
      // Every ns_per_pte case has a run-level estimate: the history holds two runs of it.
      for (const auto& row : c.rows) {
        if (row.metric == "ns_per_pte") CHECK(row.run_df == 1);
      }
    }
  }
  ptebench::compare::Collector two_a_side{CompareOptions{}};
  for (int i : {1, 2}) {
    for (const Row& r : quick_run(i)) two_a_side.add_base(r);
    two_a_side.next_input();
  }
  for (int i : {3, 4}) {
    for (const Row& r : quick_run(i)) two_a_side.add_new(r);
    two_a_side.next_input();
  }
  const Comparison c = std::move(two_a_side).finish();
  CHECK(flagged(c) == 0);
  CHECK(c.summary.count(Verdict::inconclusive) == 0);
  CHECK_FALSE(whole_run_flagged(c));  // +11% as a whole: inconclusive without a history
  for (const auto& row : c.rows) {
    if (row.metric == "ns_per_pte") {
      CHECK(row.runs_base == 2);
      CHECK(row.runs_new == 2);
      CHECK(row.run_df == 2);
    }
  }
}

TEST_CASE("noisy VM: the same-build ab pair flags nothing", "[noise][data]") {
  const Comparison c =
      ptebench::compare::compare(load("ab-same-build-a"), load("ab-same-build-b"), ab_options());
  CHECK(c.rows.size() == 444);
  CHECK(flagged(c) == 0);
  CHECK(c.summary.count(Verdict::inconclusive) == 0);
  CHECK_FALSE(c.has_regression());
}

TEST_CASE("noisy VM: a +10% in one low-noise case is found and nothing else", "[noise][data]") {
  SECTION("ab: exactly that row is a regression") {
    const Comparison c = ptebench::compare::compare(
        load("ab-same-build-a"), inject(load("ab-same-build-b"), 1.10), ab_options());
    CHECK(flagged(c) == 1);
    for (const auto& row : c.rows) {
      const bool target = row.metric == "ns_per_pte" && injected_case(row.key);
      INFO(ptebench::results::case_name(row.key) << " " << row.metric);
      CHECK((row.verdict == Verdict::regression) == target);
      if (target) CHECK(row.ratio_low > 1.05);
    }
  }
  SECTION("two single runs: exactly that row stands out, as inconclusive, never flagged") {
    // Quick runs 3 and 4 are the quiet pair (nothing inconclusive without the injection).
    const Comparison clean = ptebench::compare::compare(quick_run(3), quick_run(4), {});
    REQUIRE(clean.summary.count(Verdict::inconclusive) == 0);
    const Comparison c = ptebench::compare::compare(quick_run(3), inject(quick_run(4), 1.10), {});
    CHECK(flagged(c) == 0);
    CHECK(c.summary.count(Verdict::inconclusive) == 1);
    for (const auto& row : c.rows) {
      if (row.verdict != Verdict::inconclusive) continue;
      CHECK(injected_case(row.key));
      CHECK(row.metric == "ns_per_pte");
      CHECK(row.reason == InconclusiveReason::run_noise_unknown);
      CHECK(row.ratio == Approx(1.10).margin(0.01));
    }
  }
}
