#include "bench/runner/nightly_remeasure.h"

#include <ctime>
#include <filesystem>
#include <limits>

#include "bench/runner/interrupt_guard.h"
#include "bench/runner/run_args.h"
#include "harness/input_error.h"
#include "harness/log.h"
#include "harness/nightly_report.h"
#include "harness/process.h"
#include "harness/results_reader.h"
#include "harness/run_context.h"

namespace ptebench::cli {
namespace {

using nightly::widening_text;

std::string sibling(const std::string& out, const std::string& suffix) {
  return std::filesystem::path(out).replace_extension(suffix).string();
}

// A results file and its context sidecar moved together (the sidecar only when there is one).
void move_results(const std::string& from, const std::string& to) {
  std::filesystem::rename(from, to);
  const auto from_context = context::context_path(from);
  if (std::filesystem::exists(from_context))
    std::filesystem::rename(from_context, context::context_path(to));
}

}  // namespace

std::vector<std::string> remeasure_args(const RunConfig& night, const std::string& out) {
  RunConfig cfg = night;
  cfg.out = out;
  cfg.no_table = true;
  return run_args(cfg);
}

// One nanosleep, not std::this_thread::sleep_for (which sleeps again after a signal): the
// InterruptGuard's handler, on Ctrl-C or SIGTERM, ends the wait at once.
void sleep_for_seconds(std::chrono::seconds wait) {
  const timespec span{static_cast<std::time_t>(wait.count()), 0};
  ::nanosleep(&span, nullptr);
}

NightMeasures measure_until_calm(const RunConfig& night, std::vector<results::Row> first,
                                 const NullOfRun& null_of, std::size_t most, double noisy_bound,
                                 std::chrono::seconds wait, const WaitFor& wait_for) {
  NightMeasures out;
  out.noisy_bound = noisy_bound;
  out.wait = wait;
  const std::optional<double> first_null = null_of(first);
  out.measures.push_back({night.out, std::move(first), first_null.value_or(1.0)});
  if (!first_null || !(*first_null > noisy_bound) || most == 0) return out;
  const std::string self = self_command();
  const InterruptGuard guard;
  for (std::size_t k = 1; k <= most && out.measures[out.chosen].null_scale > noisy_bound; ++k) {
    log_line("tonight's run " + std::string(k == 1 ? "is" : "is still") +
             " noisy (the one-night split's null widened " +
             widening_text(out.measures[out.chosen].null_scale) + ", above " +
             widening_text(noisy_bound) + "): measuring the night again in a fresh process (" +
             std::to_string(k) + " of " + std::to_string(most) + ")" +
             (wait.count() > 0 ? " after " + std::to_string(wait.count()) + " s" : ""));
    if (wait.count() > 0) wait_for(wait);
    if (guard.raised()) {
      log_line("measure " + std::to_string(k + 1) + " of the night interrupted before it started");
      out.interrupted = true;
      break;
    }
    const std::string path = sibling(night.out, ".remeasure" + std::to_string(k) + ".csv");
    const int status = process::run_shell(self, remeasure_args(night, path));
    if (guard.interrupted(status)) {  // Ctrl-C or SIGTERM, passed on to the measure
      log_line("measure " + std::to_string(k + 1) +
               " of the night interrupted: no further measure");
      out.interrupted = true;
      break;
    }
    if (status != 0) {
      log_line("measure " + std::to_string(k + 1) + " of the night failed (exit " +
               std::to_string(status) + "): left out");
      continue;
    }
    Measure m;
    m.path = path;
    try {
      m.rows = results::read_results(path);
    } catch (const InputError& e) {
      log_line("measure " + std::to_string(k + 1) + " of the night left out: " + e.what());
      continue;
    }
    // The same window judges every measure; one with nothing to judge (no rows) is never chosen.
    m.null_scale = null_of(m.rows).value_or(std::numeric_limits<double>::infinity());
    out.measures.push_back(std::move(m));
    if (out.measures.back().null_scale < out.measures[out.chosen].null_scale)
      out.chosen = out.measures.size() - 1;
  }
  return out;
}

void settle_measures(const RunConfig& night, NightMeasures& measures) {
  measures.set_aside.clear();
  std::size_t k = 0;
  for (std::size_t i = 0; i < measures.measures.size(); ++i) {
    if (i == measures.chosen) continue;
    Measure& m = measures.measures[i];
    const std::string to = sibling(night.out, ".noisy" + std::to_string(++k) + ".csv");
    move_results(m.path, to);
    m.path = to;
    measures.set_aside.push_back(to);
  }
  // A noisy<k> left by an earlier night at the same OUT is not tonight's: removed.
  for (std::size_t stale = k + 1;; ++stale) {
    const std::string path = sibling(night.out, ".noisy" + std::to_string(stale) + ".csv");
    if (!std::filesystem::exists(path)) break;
    std::filesystem::remove(path);
    std::filesystem::remove(context::context_path(path));
  }
  Measure& chosen = measures.measures[measures.chosen];
  if (chosen.path != night.out) {
    move_results(chosen.path, night.out);
    chosen.path = night.out;
  }
}

}  // namespace ptebench::cli
