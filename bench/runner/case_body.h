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

#include "bench/matrix/case_spec.h"
#include "bench/runner/slowdown.h"
#include "harness/counters.h"
#include "harness/metrics.h"
#include "workloads/layout_image.h"

namespace ptebench::cli {
namespace exact {
struct Session;  // bench/runner/exact_engine.h
}

// What the cases of one `ptebench run` share and do not change: fixed before the first case.
class DuetSync;

struct RunSettings {
  CounterSet* counters = nullptr;
  std::vector<Slowdown> slowdowns;
  std::uint64_t seed = 1;
  const std::atomic<bool>* interrupted = nullptr;
  // Walks per repetition are calibrated so that one repetition of a synthetic case takes about
  // this long (0: the suite's fixed entries_per_repetition / ptes). See calibrated_walks().
  std::int64_t case_budget_ns = 0;
  // The exact engine's session in the child under Valgrind (bench/runner/exact_engine.h): the
  // cases are counted, not timed. Null for the timer engine.
  exact::Session* exact = nullptr;
  // ab --duet's rendezvous before each case's timed loop (bench/runner/duet_sync.h); null when
  // the run is not one side of a duet.
  DuetSync* duet = nullptr;
};

// What the run produced and remembers across cases and repetitions.
struct RunRecord {
  // Layout images, built once per (format, layout, ptes) and shared by all variants.
  std::map<std::string, std::shared_ptr<const LayoutImage>> images;
  // Timed walks per repetition of each case, by name, calibrated once (the first repetition).
  std::map<std::string, std::uint64_t> walks;
  // What each case of the current repetition measured, by case name (harness/metrics.h turns
  // it into the rows); a case that was skipped or interrupted has none.
  std::map<std::string, metrics::Measurement> measured;
  // Set when a case stopped because the run was interrupted: the repetition is incomplete.
  bool saw_interrupt = false;
  // Cases that were skipped (native features the machine lacks), with the reason.
  std::map<std::string, std::string> skipped;
};

// Timed walks per repetition for a case whose untimed calibration walk took `walk_ns`: enough
// walks to fill `budget_ns`, at least 1, at most `max_walks` (the suite's fixed count, so that a
// fast machine does no more work than before). `budget_ns` <= 0 keeps `max_walks`.
std::uint64_t calibrated_walks(std::int64_t walk_ns, std::int64_t budget_ns,
                               std::uint64_t max_walks);

// The walks `c` would run per repetition on its own (calibrated on its first call, then
// remembered in record.walks; run_suite then gives every variant of a group the group's
// smallest).
std::uint64_t walks_for(const CaseSpec& c, const RunSettings& settings, RunRecord& record);

// Runs one repetition of `c`: the time of the timed regions goes to Google Benchmark as manual
// time (its bookkeeping) and, with the counters' totals, to record.measured.
void run_case(benchmark::State& state, const CaseSpec& c, const RunSettings& settings,
              RunRecord& record);

}  // namespace ptebench::cli
