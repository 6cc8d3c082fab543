// The engine behind `ptebench run` (and `nightly`, which runs a suite too): the typed config
// and the run itself (its flags are bench/cli/run_flags.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/results_row.h"

namespace ptebench::cli {

// The codegen profiles a run runs: the suite's, or the ones asked for.
enum class Codegen { suite, kernel, user, both };

// What measures a walk: the clock (the default), or Valgrind counting its instructions exactly
// (bench/runner/exact_engine.h).
enum class Engine { timer, valgrind };

struct RunConfig {
  std::string suite = "quick";
  std::vector<std::string> filters;  // globs over case names; empty: all
  std::int64_t repetitions = 0;      // 0: the suite's
  std::string out = "ptebench-results.csv";
  std::vector<std::string> counters;   // libpfm4 events; empty: the default events
  std::vector<std::string> slowdowns;  // GLOB=PCT
  std::int64_t seed = 1;
  std::int64_t cpu = -1;  // -1: the last CPU this process may use
  bool no_pin = false;
  Codegen codegen = Codegen::suite;
  bool no_table = false;
  std::int64_t case_budget_ms = -1;  // -1: the suite's; 0: the suite's fixed walk counts
  Engine engine = Engine::timer;
  // Fresh processes the repetitions are spread over, one after another (run_processes.h).
  std::int64_t processes = 1;
  // The machine's name in the results (--host; harness/run_context.h); empty: uname's nodename.
  std::string host;
};

struct RunOutcome {
  std::vector<results::Row> rows;  // every finished repetition's rows
  int repetitions_finished = 0;
  bool interrupted = false;
};

// Validates `cfg` (InputError before anything runs or is written), runs the suite with its
// variants interleaved per repetition, commits OUT and OUT.context.csv after each repetition,
// and prints the variant table unless cfg.no_table.
RunOutcome run_suite(const RunConfig& cfg);

// Whether nightly stops after the run without touching history and baseline: interrupted
// (status 130), or every case skipped (status 0: a SKIP is never a failure), with the line to log.
struct NightlyStop {
  int status;
  std::string message;
};
std::optional<NightlyStop> nightly_stop(const RunOutcome& outcome);

}  // namespace ptebench::cli
