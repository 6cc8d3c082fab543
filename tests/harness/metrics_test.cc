// Tests harness/metrics against numbers worked out by hand (in the comments): the formulas of
// the headline results, exactly.
#include "harness/metrics.h"

#include <catch2/catch.hpp>

namespace ptebench::metrics {
namespace {

CounterValue counter(std::string metric, std::string unit, bool per_pte, std::uint64_t raw,
                     std::uint64_t enabled_ns, std::uint64_t running_ns) {
  CounterValue v;
  v.name = metric;
  v.metric = std::move(metric);
  v.unit = std::move(unit);
  v.per_pte = per_pte;
  v.raw = raw;
  v.time_enabled_ns = enabled_ns;
  v.time_running_ns = running_ns;
  return v;
}

TEST_CASE("ns_per_pte is the timed total over walks x entries") {
  // 3 walks of 512 entries in 1536 ns: 1536 / (3 x 512) = 1 ns per entry.
  const auto out = per_pte_metrics({.walks = 3, .ptes = 512, .elapsed_ns = 1536, .counters = {}, .exact = {}});
  REQUIRE(out.size() == 1);
  CHECK(out[0].name == "ns_per_pte");
  CHECK(out[0].unit == "ns");
  CHECK(out[0].value == 1.0);
  CHECK(out[0].coverage == 1.0);
  // 4 walks of 4096 entries in 3 ms: 3e6 / 16384 = 183.10546875 ns (exact in binary).
  CHECK(per_pte_metrics({.walks = 4, .ptes = 4096, .elapsed_ns = 3e6, .counters = {}, .exact = {}})[0].value ==
        183.10546875);
}

TEST_CASE("a multiplexed counter is scaled by enabled over running - with that coverage") {
  // Enabled 2 s, running 1 s: the 1000 counted events stand for 2000; coverage 0.5.
  const auto s = scale_count(1000, 2'000'000'000, 1'000'000'000);
  REQUIRE(s);
  CHECK(s->value == 2000.0);
  CHECK(s->coverage == 0.5);
  // Running all the time: unscaled, coverage 1; running a little longer (kernel rounding): 1.
  CHECK(scale_count(7, 100, 100)->value == 7.0);
  CHECK(scale_count(7, 100, 100)->coverage == 1.0);
  CHECK(scale_count(7, 100, 101)->coverage == 1.0);
  // Never scheduled: no value at all.
  CHECK_FALSE(scale_count(0, 100, 0));
  CHECK_FALSE(scale_count(5, 0, 0));
}

TEST_CASE("per-PTE counters divide by walks x entries - per-walk counters by walks only") {
  Measurement m{.walks = 3, .ptes = 512, .elapsed_ns = 1536, .counters = {}, .exact = {}};
  // cycles: 1536 counted in half the time -> 3072 scaled -> 3072 / 1536 = 2 per entry, cov 0.5.
  m.counters.push_back(counter("cycles_per_pte", "cycles", true, 1536, 2000, 1000));
  // page faults: 6 over 3 walks -> 2 per walk (not per entry), coverage 1.
  m.counters.push_back(counter("page_faults", "count", false, 6, 500, 500));
  // a counter that never ran: absent, not 0.
  m.counters.push_back(counter("dtlb_misses_per_pte", "events", true, 0, 500, 0));
  const auto out = per_pte_metrics(m);
  REQUIRE(out.size() == 3);
  CHECK(out[0].name == "ns_per_pte");
  // Counters in metric-name order: cycles_per_pte < page_faults.
  CHECK(out[1].name == "cycles_per_pte");
  CHECK(out[1].unit == "cycles");
  CHECK(out[1].value == 2.0);
  CHECK(out[1].coverage == 0.5);
  CHECK(out[2].name == "page_faults");
  CHECK(out[2].unit == "count");
  CHECK(out[2].value == 2.0);
  CHECK(out[2].coverage == 1.0);
}

TEST_CASE("an exact measurement gives the exact metrics alone: no time, no counters") {
  callgrind::Dump dump;
  dump.events = {"Ir", "D1mr", "D1mw"};
  dump.totals = {3072, 6, 0};
  Measurement m{.walks = 2, .ptes = 512, .elapsed_ns = 99, .counters = {}, .exact = dump};
  m.counters.push_back(counter("cycles_per_pte", "cycles", true, 1536, 1000, 1000));
  const auto out = per_pte_metrics(m);
  REQUIRE(out.size() == 2);
  CHECK(out[0].name == "instructions_per_pte");  // 3072 / (2 x 512)
  CHECK(out[0].value == 3.0);
  CHECK(out[0].coverage == 1.0);
  CHECK(out[1].name == "sim_l1d_misses_per_pte");  // (6 + 0) / 1024
  CHECK(out[1].value == 6.0 / 1024);
}

}  // namespace
}  // namespace ptebench::metrics
