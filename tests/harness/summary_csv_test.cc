// The dashboard summary: one row per run x case x metric, median / MAD / n and the
// order-statistic interval of the median with its confidence, checked by hand.
#include "harness/summary_csv.h"

#include <catch2/catch.hpp>
#include <string>

namespace ptebench::summary {
namespace {

results::Row row(const std::string& run, const std::string& metric, unsigned rep, double v) {
  results::Row r;
  r.run_id = run;
  r.started_utc = "2026-12-01T20:00:00Z";
  r.host = "vm";
  r.arch = "x86_64";
  r.kernel = "6.1";
  r.git_rev = "abc";
  r.suite = "quick";
  r.codegen = "kernel";
  r.workload = "zap_range";
  r.pte_format = "x86_64";
  r.variant = "plain";
  r.layout = "dense";
  r.ptes = 4096;
  r.repetition = rep;
  r.metric = metric;
  r.value = v;
  r.unit = "ns";
  return r;
}

TEST_CASE("summary: the interval of the median, by hand (binomial tables)") {
  // n = 10: P(B <= 1) = 11/1024, P(B <= 2) = 56/1024 > 0.025 -> [x_2, x_9], 1 - 22/1024.
  CHECK(median_interval(10).k == 2);
  CHECK(median_interval(10).confidence == Approx(1 - 22.0 / 1024));
  // n = 6: only [x_1, x_6], 1 - 2/64; n = 5: [min, max] at 1 - 2/32 (below 95%).
  CHECK(median_interval(6).k == 1);
  CHECK(median_interval(6).confidence == Approx(1 - 2.0 / 64));
  CHECK(median_interval(5).k == 1);
  CHECK(median_interval(5).confidence == Approx(0.9375));
  CHECK(median_interval(1).confidence == Approx(0));
  // n = 20: P(B <= 5) = 21700/2^20 = 0.0207, P(B <= 6) = 0.0577 -> k = 6.
  CHECK(median_interval(20).k == 6);
  CHECK(median_interval(20).confidence == Approx(1 - 2 * 21700.0 / 1048576));
}

TEST_CASE("summary: one row per run, case and metric, in order of first appearance") {
  SummaryBuilder b;
  // Run r1, ns_per_pte: 10 values 1..10 (shuffled), median 5.5, MAD 2.5, interval [2, 9].
  for (unsigned i : {3u, 7u, 1u, 9u, 5u, 2u, 10u, 4u, 8u, 6u}) b.add(row("r1", "ns_per_pte", i, i));
  b.add(row("r1", "page_faults", 0, 0));
  b.add(row("r2", "ns_per_pte", 0, 2.5));
  const std::string csv = b.csv();
  const std::string header =
      "schema,run_id,started_utc,host,arch,kernel,git_rev,suite,codegen,workload,pte_format,"
      "variant,layout,ptes,metric,unit,n,median,mad,ci_low,ci_high,ci_confidence\n";
  const std::string prefix =
      ",2026-12-01T20:00:00Z,vm,x86_64,6.1,abc,quick,kernel,zap_range,"
      "x86_64,plain,dense,4096,";
  CHECK(csv == header + "ptebench-summary/1,r1" + prefix +
                   "ns_per_pte,ns,10,5.5,2.5,2,9,0.978515625\n" + "ptebench-summary/1,r1" + prefix +
                   "page_faults,ns,1,0,0,0,0,0\n" + "ptebench-summary/1,r2" + prefix +
                   "ns_per_pte,ns,1,2.5,0,2.5,2.5,0\n");
}

}  // namespace
}  // namespace ptebench::summary
