// The body of every registered benchmark: one repetition of one case. Setup (resetting the page
// table, populating a native mapping) and teardown are outside the timed region; the timed
// region is the walk alone, measured with the monotonic clock (Google Benchmark's manual time),
// with the counters enabled around exactly that region.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/cases.h"
#include "bench/counters_adapter.h"
#include "bench/slowdown.h"
#include "harness/metrics.h"
#include "workloads/layout_image.h"

namespace ptebench::cli {

// State shared by the cases of one `ptebench run`.
struct RunState {
  CaseCounters* counters = nullptr;
  std::vector<Slowdown> slowdowns;
  std::uint64_t seed = 1;
  const std::atomic<bool>* interrupted = nullptr;
  // Layout images, built once per (format, layout, ptes) and shared by all variants.
  std::map<std::string, std::shared_ptr<const LayoutImage>> images;
  // Calibrated busy work per walk for cases matching --inject-slowdown, by case name.
  std::map<std::string, std::int64_t> slowdown_ns;
  // What each case of the current repetition measured, by case name (harness/metrics.h turns
  // it into the rows); a case that was skipped or interrupted has none.
  std::map<std::string, metrics::Measurement> measured;
  // Set when a case stopped because the run was interrupted: the repetition is incomplete.
  bool saw_interrupt = false;
  // Cases that were skipped (native features the machine lacks), with the reason.
  std::map<std::string, std::string> skipped;
};

// Runs one repetition of `c` under `state`: the time of the timed regions goes to Google
// Benchmark as manual time (its bookkeeping) and, with the counters' totals, to run.measured.
void run_case(benchmark::State& state, const CaseSpec& c, RunState& run);

}  // namespace ptebench::cli
