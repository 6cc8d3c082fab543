// The per-PTE metrics of one case, from what was measured: the one place where a result's
// number is computed (DESIGN.md, Measurement). Plain numbers in, metric values out; no clock,
// no counter file descriptors, no Google Benchmark.
//
//   ns_per_pte        = elapsed_ns / (walks x ptes)                                  unit ns
//   <event>_per_pte   = scaled count / (walks x ptes)   (counter_catalog.h: per_pte)  its unit
//   <event> (per walk)= scaled count / walks            (page_faults, task_clock_ns, ...)
//   scaled count      = raw x time_enabled / time_running (the kernel multiplexed the counter;
//                       libpfm4 perf_examples/self.c), coverage = time_running / time_enabled
//
// A counter that did not run (time_running 0) has no metric: absent, never a fake zero.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/callgrind_output.h"
#include "harness/counters.h"

namespace ptebench::metrics {

// A count scaled for the time its counter was not scheduled; nullopt when it never ran.
// Coverage is in (0, 1] (a running time above the enabled time, which rounding in the kernel
// can give, counts as 1).
struct Scaled {
  double value = 0;
  double coverage = 1;
};
std::optional<Scaled> scale_count(std::uint64_t raw, std::uint64_t time_enabled_ns,
                                  std::uint64_t time_running_ns);

// What one case measured in one repetition: `walks` timed walks of `ptes` entries each, the
// total time of the timed regions, and the counters' totals over exactly those regions.
struct Measurement {
  std::uint64_t walks = 0;
  std::uint64_t ptes = 0;
  double elapsed_ns = 0;
  std::vector<CounterValue> counters;  // CounterSet::read(): raw, time enabled and running
  // Set by the exact engine (bench/runner/exact_engine.h): Callgrind's totals over exactly the
  // walks. Such a measurement has no time (a walk under Valgrind is not a walk's time) and no
  // counters: its metrics are harness/exact_metrics.h's instead.
  std::optional<callgrind::Dump> exact;
};

struct Metric {
  std::string name;  // the results' metric column: ns_per_pte, cycles_per_pte, page_faults, ...
  std::string unit;  // the results' unit column: ns, cycles, instructions, events, count
  double value = 0;
  double coverage = 1;  // of the counter; 1 for ns_per_pte
};

// ns_per_pte first, then one metric per counter that ran, in metric-name order (the order the
// results files have always had);
// for an exact measurement, harness/exact_metrics.h's metrics alone. walks or ptes of 0 is a bug
// in the caller and aborts.
std::vector<Metric> per_pte_metrics(const Measurement& measurement);

}  // namespace ptebench::metrics
