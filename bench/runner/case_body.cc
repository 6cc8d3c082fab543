#include "bench/runner/case_body.h"
#include "bench/runner/duet_sync.h"

#include <algorithm>
#include <chrono>

#include "bench/runner/exact_engine.h"
#include "harness/log.h"
#include "workloads/layout.h"
#include "workloads/native/native_case.h"
#include "workloads/native/native_error.h"
#include "workloads/native/native_layout.h"
#include "workloads/native/native_op.h"
#include "workloads/walk.h"

namespace ptebench::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t ns_between(Clock::time_point t0, Clock::time_point t1) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
}

std::shared_ptr<const LayoutImage> image_for(const CaseSpec& c, const RunSettings& settings,
                                             RunRecord& record) {
  const std::string key = c.pte_format + "/" + c.layout + "/" + std::to_string(c.ptes);
  auto it = record.images.find(key);
  if (it != record.images.end()) return it->second;
  LayoutSpec spec;
  spec.name = c.layout;
  spec.ptes = c.ptes;
  spec.seed = settings.seed;
  auto image = std::make_shared<const LayoutImage>(make_layout(c.pte_format, spec));
  record.images.emplace(key, image);
  return image;
}

// The steps of one walk: setup() is untimed and may find the machine lacking (a SKIP reason;
// empty when ready), timed() is the measured region, teardown() is untimed.
template <class Setup, class Timed, class Teardown>
struct Steps {
  Setup setup;
  Timed timed;
  Teardown teardown;
};
template <class Setup, class Timed, class Teardown>
Steps(Setup, Timed, Teardown) -> Steps<Setup, Timed, Teardown>;

// Records a SKIP of `c` (logged once per run) and tells Google Benchmark.
void skip_case(benchmark::State& state, const CaseSpec& c, RunRecord& record,
               const std::string& reason) {
  if (!record.skipped.count(c.name())) log_skip(c.name(), reason);
  record.skipped[c.name()] = reason;
  state.SkipWithError(("SKIP: " + reason).c_str());
}

template <class S>
void timed_loop(benchmark::State& state, const CaseSpec& c, const RunSettings& settings,
                RunRecord& record, S& steps) {
  const std::string name = c.name();
  // One untimed warm-up walk: first-touch faults and cold caches are not what is measured.
  if (std::string why = steps.setup(); !why.empty()) return skip_case(state, c, record, why);
  steps.timed();
  steps.teardown();
  // --inject-slowdown: each timed walk followed by busy work worth pct% of that walk's own time
  // (slowdown.h).
  const double slowdown_pct = slowdown_percent(settings.slowdowns, name);

  // ab --duet: both sides start this case's timed walks together (duet_sync.h).
  if (settings.duet != nullptr) settings.duet->arrive();
  CounterSet& counters = *settings.counters;
  counters.reset();
  std::int64_t elapsed_ns = 0;
  for (auto _ : state) {
    if (settings.interrupted && settings.interrupted->load(std::memory_order_relaxed)) {
      record.saw_interrupt = true;
      state.SkipWithError("interrupted");
      break;
    }
    if (std::string why = steps.setup(); !why.empty()) {
      skip_case(state, c, record, why);
      break;
    }
    counters.start();
    const auto t0 = Clock::now();
    try {
      steps.timed();
    } catch (...) {
      counters.stop();  // leave the counters stopped for the next case
      steps.teardown();
      throw;
    }
    spin_share(t0, slowdown_pct);
    const auto t1 = Clock::now();
    counters.stop();
    steps.teardown();
    elapsed_ns += ns_between(t0, t1);
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
  }
  if (state.error_occurred()) return;  // interrupted or skipped: no measurement
  record.measured[name] = metrics::Measurement{
      .walks = static_cast<std::uint64_t>(state.iterations()),
      .ptes = c.ptes,
      .elapsed_ns = static_cast<double>(elapsed_ns),
      .counters = counters.read(),
      .exact = std::nullopt,
  };
}

// The native case of `c`, or nullptr with *skip_reason set when the machine cannot run it.
std::unique_ptr<native::NativeCase> open_native_case(const CaseSpec& c, std::string* skip_reason) {
  try {
    const auto op = native::parse_native_op(c.workload);
    if (!op) {
      *skip_reason = "unknown native workload " + c.workload;
      return nullptr;
    }
    auto nc = std::make_unique<native::NativeCase>(*op, native::parse_native_layout(c.layout),
                                                   static_cast<std::size_t>(c.size_bytes));
    if (const native::NativeStatus status = nc->check(); !status.ready()) {
      *skip_reason = status.skip_reason;
      return nullptr;
    }
    return nc;
  } catch (const native::NativeError& e) {
    // A size this machine cannot map is the environment, not bad input: the case is skipped.
    *skip_reason = e.what();
    return nullptr;
  }
}

}  // namespace

std::uint64_t calibrated_walks(std::int64_t walk_ns, std::int64_t budget_ns,
                               std::uint64_t max_walks) {
  if (budget_ns <= 0 || max_walks <= 1) return std::max<std::uint64_t>(max_walks, 1);
  const std::int64_t per_walk_ns = std::max<std::int64_t>(walk_ns, 1);
  const auto fit = static_cast<std::uint64_t>(budget_ns / per_walk_ns);
  return std::clamp<std::uint64_t>(fit, 1, max_walks);
}

std::uint64_t walks_for(const CaseSpec& c, const RunSettings& settings, RunRecord& record) {
  // Native cases keep their few operations per repetition (native_cases.cc): populating a
  // mapping costs more than the timed call, so a calibration walk would cost a repetition.
  if (c.native || settings.case_budget_ns <= 0) return c.iterations;
  const std::string name = c.name();
  if (auto it = record.walks.find(name); it != record.walks.end()) return it->second;
  // Untimed calibration: the warm-up walk, then the fastest of three whole cycles (reset and
  // walk: both take the wall time the budget is for).
  auto walk = make_walk(c.walk, image_for(c, settings, record));
  walk->reset();
  walk->run();
  std::int64_t fastest_ns = 0;
  for (int i = 0; i < 3; ++i) {
    const auto t0 = Clock::now();
    walk->reset();
    walk->run();
    const auto t1 = Clock::now();
    fastest_ns = i == 0 ? ns_between(t0, t1) : std::min(fastest_ns, ns_between(t0, t1));
  }
  const std::uint64_t walks = calibrated_walks(fastest_ns, settings.case_budget_ns, c.iterations);
  record.walks.emplace(name, walks);
  return walks;
}

void run_case(benchmark::State& state, const CaseSpec& c, const RunSettings& settings,
              RunRecord& record) {
  if (c.native) {
    if (settings.exact) return exact::skip_native(state, c, record);
    std::string skip_reason;
    auto native = open_native_case(c, &skip_reason);
    if (!native) {
      skip_case(state, c, record, skip_reason);
      for (auto _ : state) {
      }
      return;
    }
    Steps steps{[&] { return native->prepare().skip_reason; }, [&] { native->run(); },
                [&] { native->finish(); }};
    try {
      timed_loop(state, c, settings, record, steps);
    } catch (const std::runtime_error& e) {
      // A system call of the case failed: one logged line, the case has no rows.
      log_line(c.name() + " failed: " + e.what());
      record.skipped[c.name()] = std::string("failed: ") + e.what();
      state.SkipWithError((std::string("failed: ") + e.what()).c_str());
    }
    return;
  }
  auto walk = make_walk(c.walk, image_for(c, settings, record));
  if (settings.exact) return exact::run_walks(state, c, settings, record, *walk);
  Steps steps{[&] {
                walk->reset();
                return std::string();
              },
              [&] { walk->run(); }, [] {}};
  timed_loop(state, c, settings, record, steps);
}

}  // namespace ptebench::cli
