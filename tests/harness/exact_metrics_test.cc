// Tests for harness/exact_metrics: per-PTE metrics from Callgrind totals, by hand.
#include "harness/exact_metrics.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>

namespace {

using ptebench::callgrind::parse_dump;
using ptebench::exact_metrics::per_pte_metrics;

std::map<std::string, double> by_name(const std::vector<ptebench::exact_metrics::Sample>& v) {
  std::map<std::string, double> out;
  for (const auto& s : v) out[s.metric] = s.value;
  return out;
}

}  // namespace

TEST_CASE("exact metrics: Ir, simulated L1d, LL and branch misses over walks x ptes") {
  // Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim
  const auto dump = parse_dump(
      "events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim\n"
      "totals: 8192 100 100 7 40 24 3 16 8 512 30 4 2\n",
      "d");
  const auto samples = per_pte_metrics(dump, 2, 512);  // 1024 entries
  const auto m = by_name(samples);
  REQUIRE(m.size() == 4);
  CHECK(m.at("instructions_per_pte") == 8.0);
  CHECK(m.at("sim_l1d_misses_per_pte") == 64.0 / 1024);
  CHECK(m.at("sim_ll_misses_per_pte") == 27.0 / 1024);
  CHECK(m.at("sim_branch_mispredicts_per_pte") == 32.0 / 1024);
  for (const auto& s : samples)
    CHECK(s.unit == (s.metric == "instructions_per_pte" ? "instructions" : "events"));
}

TEST_CASE("exact metrics without cache or branch simulation: instructions only, no zeros") {
  const auto m = by_name(per_pte_metrics(parse_dump("events: Ir\ntotals: 300\n", "d"), 1, 100));
  REQUIRE(m.size() == 1);
  CHECK(m.at("instructions_per_pte") == 3.0);
}

TEST_CASE("only instructions_per_pte is an exact metric") {
  CHECK(ptebench::exact_metrics::is_exact_metric("instructions_per_pte"));
  CHECK_FALSE(ptebench::exact_metrics::is_exact_metric("sim_l1d_misses_per_pte"));
  CHECK_FALSE(ptebench::exact_metrics::is_exact_metric("ns_per_pte"));
}
