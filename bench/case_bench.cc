#include "bench/case_bench.h"

#include <algorithm>
#include <chrono>

#include "bench/native_cases.h"
#include "harness/log.h"
#include "workloads/layout.h"

namespace ptebench::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::shared_ptr<const LayoutImage> image_for(const CaseSpec& c, RunState& run) {
  const std::string key = c.pte_format + "/" + c.layout + "/" + std::to_string(c.ptes);
  auto it = run.images.find(key);
  if (it != run.images.end()) return it->second;
  LayoutSpec spec;
  spec.name = c.layout;
  spec.ptes = c.ptes;
  spec.seed = run.seed;
  auto image = std::make_shared<const LayoutImage>(make_layout(c.pte_format, spec));
  run.images.emplace(key, image);
  return image;
}

// The fastest of 11 untimed walks, after the warm-up: the base of --inject-slowdown's busy work.
// The minimum, not the median, so that a busy machine during calibration does not inflate the
// injected slowdown beyond the percentage asked for.
template <class Setup, class Timed, class Teardown>
std::int64_t calibrate_ns(Setup&& setup, Timed&& timed, Teardown&& teardown) {
  std::vector<std::int64_t> ns;
  for (int i = 0; i < 11; ++i) {
    setup();
    const auto t0 = Clock::now();
    timed();
    const auto t1 = Clock::now();
    teardown();
    ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
  }
  return *std::min_element(ns.begin(), ns.end());
}

template <class Setup, class Timed, class Teardown>
void timed_loop(benchmark::State& state, const CaseSpec& c, RunState& run, Setup&& setup,
                Timed&& timed, Teardown&& teardown) {
  const std::string name = c.name();
  // One untimed warm-up walk: first-touch faults and cold caches are not what is measured.
  setup();
  timed();
  teardown();
  std::int64_t extra_ns = 0;
  if (const double pct = slowdown_percent(run.slowdowns, name); pct > 0) {
    auto it = run.slowdown_ns.find(name);
    if (it == run.slowdown_ns.end()) {
      const std::int64_t base = calibrate_ns(setup, timed, teardown);
      it = run.slowdown_ns.emplace(name, static_cast<std::int64_t>(base * pct / 100.0)).first;
    }
    extra_ns = it->second;
  }

  run.counters->reset();
  std::int64_t elapsed_ns = 0;
  for (auto _ : state) {
    if (run.interrupted && run.interrupted->load(std::memory_order_relaxed)) {
      run.saw_interrupt = true;
      state.SkipWithError("interrupted");
      break;
    }
    setup();
    run.counters->start();
    const auto t0 = Clock::now();
    try {
      timed();
    } catch (...) {
      run.counters->stop();  // leave the counters stopped for the next case
      teardown();
      throw;
    }
    spin_ns(extra_ns);
    const auto t1 = Clock::now();
    run.counters->stop();
    teardown();
    elapsed_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
  }
  if (state.error_occurred()) return;  // interrupted: no measurement
  run.measured[name] = metrics::Measurement{.walks = static_cast<std::uint64_t>(state.iterations()),
                                            .ptes = c.ptes,
                                            .elapsed_ns = static_cast<double>(elapsed_ns),
                                            .counters = run.counters->read()};
}

}  // namespace

void run_case(benchmark::State& state, const CaseSpec& c, RunState& run) {
  if (c.native) {
    std::string skip_reason;
    auto native = make_native_case(c, &skip_reason);
    if (!native) {
      if (!run.skipped.count(c.name())) log_skip(c.name(), skip_reason);
      run.skipped[c.name()] = skip_reason;
      state.SkipWithError(("SKIP: " + skip_reason).c_str());
      for (auto _ : state) {
      }
      return;
    }
    try {
      timed_loop(
          state, c, run, [&] { native->prepare(); }, [&] { native->run(); },
          [&] { native->finish(); });
    } catch (const NativeSkipped& e) {
      // The machine did not give what the case needs (seen only after populating).
      if (!run.skipped.count(c.name())) log_skip(c.name(), e.what());
      run.skipped[c.name()] = e.what();
      state.SkipWithError((std::string("SKIP: ") + e.what()).c_str());
    } catch (const std::runtime_error& e) {
      // A system call of the case failed: one logged line, the case has no rows.
      log_line(c.name() + " failed: " + e.what());
      run.skipped[c.name()] = std::string("failed: ") + e.what();
      state.SkipWithError((std::string("failed: ") + e.what()).c_str());
    }
    return;
  }
  auto walk = make_walk(c.walk, image_for(c, run));
  timed_loop(
      state, c, run, [&] { walk->reset(); }, [&] { walk->run(); }, [] {});
}

}  // namespace ptebench::cli
