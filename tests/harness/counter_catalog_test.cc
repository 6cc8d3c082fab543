// Tests harness/counter_catalog: the event -> metric table, the names of arbitrary events, and
// that every default event lands on a row of the table (not on a made-up name).
#include "harness/counter_catalog.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "harness/event_encoding.h"
#include "skip.h"

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

// The metric row of `canonical`, or null.
const CounterMetric* row_of(const std::string& canonical) {
  for (const CounterMetric& row : kCounterMetrics)
    if (row.event == canonical) return &row;
  return nullptr;
}

TEST_CASE("every default event encodes to a row of the table") {
  std::set<std::string> metrics;
  for (const DefaultCounter& d : kDefaultCounters) {
    CAPTURE(d.event);
    const EncodeResult enc = encode_event(d.event, false);
    REQUIRE(enc.event);
    const CounterMetric* row = row_of(enc.event->canonical);
    REQUIRE(row);
    metrics.insert(std::string(row->metric));
  }
  // The defaults are the design's metrics, each once.
  CHECK(metrics == std::set<std::string>{"cycles_per_pte", "instructions_per_pte",
                                         "branch_misses_per_pte", "l1d_misses_per_pte",
                                         "dtlb_misses_per_pte", "task_clock_ns", "page_faults",
                                         "context_switches"});
}

TEST_CASE("the arm64 fallbacks report under the metric of the event they stand in for") {
  std::size_t fallbacks = 0;
  for (const DefaultCounter& d : kDefaultCounters) {
    if (d.arm64_fallback.empty()) continue;
    ++fallbacks;
    CAPTURE(d.event, d.arm64_fallback);
    const EncodeResult generic = encode_event(d.event, false);
    const EncodeResult fallback = encode_event(d.arm64_fallback, false);
    REQUIRE(generic.event);
    if (!fallback.event) {
      // libpfm4 knows the arm_* names only when it recognises the core (/proc/cpuinfo), which
      // it does not under qemu-user; LIBPFM_FORCE_PMU=arm_n1 shows them (as PMUv3 events
      // 0x03 and 0x05).
      PTEBENCH_SKIP("libpfm4 detected no arm64 core PMU here: " << fallback.error);
      CHECK(fallback.failure == EncodeFailure::unknown_event);
      continue;
    }
    REQUIRE(row_of(fallback.event->canonical));
    CHECK(row_of(fallback.event->canonical)->metric == row_of(generic.event->canonical)->metric);
  }
#if defined(__aarch64__)
  CHECK(fallbacks == 2);  // L1D and dTLB read misses
#else
  CHECK(fallbacks == 0);  // arm-specific names are chosen only in arm64 builds
#endif
}

}  // namespace
}  // namespace ptebench
