// What the counters mean in the results: which events ptebench counts by default, and the metric
// name and unit each event is reported under (DESIGN.md, Measurement). Pure data and string
// functions; opening and reading counters is counters.h.
//
// Event names are libpfm4 names. The default events use the perf-style aliases of libpfm4's
// generic `perf` PMU (the same names as `perf stat -e`), which libpfm4 resolves on every
// architecture to the kernel's generic events: PERF_TYPE_HARDWARE, PERF_TYPE_HW_CACHE and
// PERF_TYPE_SOFTWARE. The kernel maps those onto the CPU's own events — on arm64 the PMUv3
// driver (drivers/perf/arm_pmuv3.c, armv8_pmuv3_perf_cache_map) maps L1D read misses to
// L1D_CACHE_REFILL and dTLB read misses to L1D_TLB_REFILL, some cores to their _RD variants.
// Where a core's map lacks a generic cache event (perf_event_open fails with ENOENT), the arm64
// build falls back to the PMUv3 common event of libpfm4's arm_* tables (kDefaultCounters below);
// note that those two count reads and writes.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace ptebench {

// How one event is reported.
struct CounterMetric {
  std::string_view event;   // libpfm4's canonical name: no PMU prefix, no modifiers
  std::string_view metric;  // the `metric` column of schema ptebench-results/1
  std::string_view unit;    // the `unit` column
  bool per_pte;             // true: divided by the PTEs walked; false: a count per walk
};

// Keyed by the canonical name that libpfm4 gives back (pfm_get_os_event_encoding's fstr without
// "pmu::" and without "name=value" modifiers), so every spelling of one event — "cycles",
// "perf::cycles:u", "PERF_COUNT_HW_CPU_CYCLES" — lands on one metric.
inline constexpr std::array<CounterMetric, 17> kCounterMetrics = {{
    // Generic hardware events (libpfm4 PMU "perf"), every architecture.
    {"PERF_COUNT_HW_CPU_CYCLES", "cycles_per_pte", "cycles", true},
    {"PERF_COUNT_HW_INSTRUCTIONS", "instructions_per_pte", "instructions", true},
    {"PERF_COUNT_HW_BRANCH_MISSES", "branch_misses_per_pte", "events", true},
    {"PERF_COUNT_HW_CACHE_L1D:READ:MISS", "l1d_misses_per_pte", "events", true},
    {"PERF_COUNT_HW_CACHE_DTLB:READ:MISS", "dtlb_misses_per_pte", "events", true},
    // arm64 PMUv3 common events (libpfm4 PMUs arm_ac57, arm_n1, arm_n2, arm_v1, ...).
    {"CPU_CYCLES", "cycles_per_pte", "cycles", true},
    {"INST_RETIRED", "instructions_per_pte", "instructions", true},
    {"BR_MIS_PRED_RETIRED", "branch_misses_per_pte", "events", true},
    {"L1D_CACHE_REFILL", "l1d_misses_per_pte", "events", true},
    {"L1D_TLB_REFILL", "dtlb_misses_per_pte", "events", true},
    // Software events (libpfm4 PMU "perf"): totals, not per PTE.
    {"PERF_COUNT_SW_TASK_CLOCK", "task_clock_ns", "ns", false},
    {"PERF_COUNT_SW_CPU_CLOCK", "cpu_clock_ns", "ns", false},
    {"PERF_COUNT_SW_PAGE_FAULTS", "page_faults", "count", false},
    {"PERF_COUNT_SW_PAGE_FAULTS_MIN", "minor_faults", "count", false},
    {"PERF_COUNT_SW_PAGE_FAULTS_MAJ", "major_faults", "count", false},
    {"PERF_COUNT_SW_CONTEXT_SWITCHES", "context_switches", "count", false},
    {"PERF_COUNT_SW_CPU_MIGRATIONS", "cpu_migrations", "count", false},
}};

// One default event; `arm64_fallback` (empty elsewhere) is counted instead when the generic
// event cannot be opened on an arm64 core.
struct DefaultCounter {
  std::string_view event;
  std::string_view arm64_fallback;
};

#if defined(__aarch64__)
inline constexpr std::string_view kArm64L1dMiss = "L1D_CACHE_REFILL";
inline constexpr std::string_view kArm64DtlbMiss = "L1D_TLB_REFILL";
#else
inline constexpr std::string_view kArm64L1dMiss = "";
inline constexpr std::string_view kArm64DtlbMiss = "";
#endif

// What `ptebench run` counts without --counters: hardware events first, then software ones.
inline constexpr std::array<DefaultCounter, 8> kDefaultCounters = {{
    {"cycles", ""},
    {"instructions", ""},
    {"branch-misses", ""},
    {"L1-dcache-load-misses", kArm64L1dMiss},  // = PERF_COUNT_HW_CACHE_L1D:READ:MISS
    {"dTLB-load-misses", kArm64DtlbMiss},      // = PERF_COUNT_HW_CACHE_DTLB:READ:MISS
    {"task-clock", ""},
    {"page-faults", ""},
    {"context-switches", ""},
}};

// Software events that `ptebench counters` reports on besides the defaults.
inline constexpr std::array<std::string_view, 1> kExtraSoftwareCounters = {"cpu-migrations"};

// The metric of the event whose libpfm4 canonical name is `canonical`: its kCounterMetrics row,
// or, for any other event, {"<sanitized canonical>_per_pte", "events", per_pte} — the canonical
// name, so that every spelling of one event gives one metric; the given name when there is no
// canonical one (perf_raw events such as "r003c").
struct MetricName {
  std::string metric;
  std::string unit;
  bool per_pte = true;
};
MetricName metric_for_event(std::string_view canonical, std::string_view given_name);

// Lower case; every run of characters other than [a-z0-9] becomes one '_', none at either end
// ("MEM_LOAD_RETIRED:L3_MISS" -> "mem_load_retired_l3_miss"); "event" if nothing is left.
std::string sanitize_metric_name(std::string_view event_name);

}  // namespace ptebench
