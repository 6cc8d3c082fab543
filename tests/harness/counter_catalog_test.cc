// Tests harness/counter_catalog: the event -> metric table, the names of arbitrary events, and
// that every default event lands on a row of the table (not on a made-up name).
#include "harness/counter_catalog.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "harness/event_encoding.h"

namespace ptebench {
namespace {

TEST_CASE("the design's metrics have their names and units") {
  using Row = std::tuple<std::string, std::string, std::string, bool>;
  const auto [canonical, metric, unit, per_pte] =
      GENERATE(table<std::string, std::string, std::string, bool>({
          Row{"PERF_COUNT_HW_CPU_CYCLES", "cycles_per_pte", "cycles", true},
          Row{"PERF_COUNT_HW_INSTRUCTIONS", "instructions_per_pte", "instructions", true},
          Row{"PERF_COUNT_HW_BRANCH_MISSES", "branch_misses_per_pte", "events", true},
          Row{"PERF_COUNT_HW_CACHE_L1D:READ:MISS", "l1d_misses_per_pte", "events", true},
          Row{"PERF_COUNT_HW_CACHE_DTLB:READ:MISS", "dtlb_misses_per_pte", "events", true},
          Row{"L1D_CACHE_REFILL", "l1d_misses_per_pte", "events", true},
          Row{"L1D_TLB_REFILL", "dtlb_misses_per_pte", "events", true},
          Row{"PERF_COUNT_SW_PAGE_FAULTS", "page_faults", "count", false},
          Row{"PERF_COUNT_SW_CONTEXT_SWITCHES", "context_switches", "count", false},
          Row{"PERF_COUNT_SW_TASK_CLOCK", "task_clock_ns", "ns", false},
      }));
  const MetricName m = metric_for_event(canonical, "given-name");
  CHECK(m.metric == metric);
  CHECK(m.unit == unit);
  CHECK(m.per_pte == per_pte);
}

TEST_CASE("any other event is reported per PTE under its sanitized name") {
  const MetricName m =
      metric_for_event("MEM_LOAD_RETIRED:L3_MISS", "icl::MEM_LOAD_RETIRED:L3_MISS");
  CHECK(m.metric == "mem_load_retired_l3_miss_per_pte");
  CHECK(m.unit == "events");
  CHECK(m.per_pte);
  // perf_raw events have no canonical name: the given one names them.
  CHECK(metric_for_event("", "r003c").metric == "r003c_per_pte");
}

TEST_CASE("sanitize_metric_name keeps [a-z0-9] and joins the rest with single underscores") {
  CHECK(sanitize_metric_name("MEM_LOAD_RETIRED:L3_MISS") == "mem_load_retired_l3_miss");
  CHECK(sanitize_metric_name("perf::PERF_COUNT_HW_CACHE_L1D:READ:MISS:u") ==
        "perf_perf_count_hw_cache_l1d_read_miss_u");
  CHECK(sanitize_metric_name("--a--b--") == "a_b");
  CHECK(sanitize_metric_name("L1-dcache-load-misses") == "l1_dcache_load_misses");
  CHECK(sanitize_metric_name("") == "event");
  CHECK(sanitize_metric_name(":::") == "event");
}

TEST_CASE("the table has one row per event and metrics shared only by equivalent events") {
  std::set<std::string_view> events;
  for (const CounterMetric& row : kCounterMetrics) {
    CHECK(events.insert(row.event).second);
    CHECK(!row.metric.empty());
    CHECK(!row.unit.empty());
    // Per-PTE metrics say so in their name; totals do not.
    CHECK(row.per_pte == row.metric.ends_with("_per_pte"));
  }
}

TEST_CASE("every default event encodes to a row of the table") {
  std::set<std::string> metrics;
  for (const DefaultCounter& d : kDefaultCounters) {
    for (const std::string_view name : {d.event, d.arm64_fallback}) {
      if (name.empty()) continue;
      CAPTURE(name);
      const EncodeResult enc = encode_event(name, false);
      REQUIRE(enc.event);
      bool in_table = false;
      for (const CounterMetric& row : kCounterMetrics)
        in_table |= row.event == enc.event->canonical;
      CHECK(in_table);
    }
    metrics.insert(metric_for_event(encode_event(d.event, false).event->canonical, d.event).metric);
  }
  // The defaults are the design's metrics, each once.
  CHECK(metrics == std::set<std::string>{"cycles_per_pte", "instructions_per_pte",
                                         "branch_misses_per_pte", "l1d_misses_per_pte",
                                         "dtlb_misses_per_pte", "task_clock_ns", "page_faults",
                                         "context_switches"});
}

}  // namespace
}  // namespace ptebench
