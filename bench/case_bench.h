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
#include "workloads/layout_image.h"

namespace ptebench::cli {
namespace exact {
struct Session;  // bench/exact_engine.h
}

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
  // Metric name -> unit, filled as counters are reported.
  std::map<std::string, std::string> units;
  // Cases that were skipped (native features the machine lacks), with the reason.
  std::map<std::string, std::string> skipped;
  // The exact engine's child session (bench/exact_engine.h); null for the timer engine.
  exact::Session* exact = nullptr;
};

// Runs one repetition of `c` under `state`. Reports ns per PTE through manual time and every
// counter metric through state.counters ("<metric>" and "<metric>@coverage").
void run_case(benchmark::State& state, const CaseSpec& c, RunState& run);

}  // namespace ptebench::cli
