#include "bench/runner/exact_nightly.h"

#include <filesystem>

#include "harness/counters.h"
#include "harness/input_error.h"
#include "harness/log.h"

namespace ptebench::cli::exact {

bool pmu_counts_instructions() {
  for (const CounterAvailability& c : probe_counters())
    if (c.event == "instructions") return c.ok;
  return false;
}

void add_nightly_pass(const RunConfig& nightly, bool off, RunOutcome& outcome) {
  if (off || outcome.interrupted || outcome.rows.empty() || nightly.engine == Engine::valgrind)
    return;
  if (pmu_counts_instructions()) return;  // the timed run has instructions_per_pte already
  RunConfig cfg = nightly;
  cfg.engine = Engine::valgrind;
  cfg.suite = "quick";
  cfg.repetitions = 0;  // the exact engine's default
  cfg.codegen = Codegen::suite;
  cfg.counters.clear();  // perf events have no place under Valgrind
  cfg.no_table = true;
  cfg.processes = 1;  // exact counts do not vary by process
  cfg.out = std::filesystem::path(nightly.out).replace_extension(".exact.csv").string();
  log_line(
      "no PMU counts instructions here: adding an exact pass (--engine valgrind) of the "
      "quick suite's synthetic cases -> " +
      cfg.out + " (--no-exact turns it off)");
  try {
    RunOutcome exact = run_suite(cfg);
    outcome.rows.insert(outcome.rows.end(), exact.rows.begin(), exact.rows.end());
    if (exact.interrupted) outcome.interrupted = true;
  } catch (const InputError& e) {
    log_line(std::string("exact pass not run: ") + e.what());
  }
}

}  // namespace ptebench::cli::exact
