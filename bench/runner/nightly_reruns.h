// Re-runs of nightly's suspects (harness/nightly_judge.h): before any alarm, the suspect cases
// are measured again in fresh processes (Chromium Pinpoint's "unknown -> run more"), so that a
// case slowed by tonight's placement or a neighbour's burst is not an alarm. Each process is this
// ptebench executable's `run` over just those cases, with the night's run flags (suite, seed,
// codegen, injected slowdowns, pinning, case budget), into <nightly out>.rerun<k>.csv.
// PTEBENCH_EXE, when set, is the shell command used instead of this executable (tests).
//
// Ctrl-C (or SIGTERM) while they run stops them: the process running exits 130 (run_suite), no
// further one is started, and the caller is told, so that nightly ends as an interrupted run does
// (bench/cli/cmd_nightly.cc: nothing appended to the history, no verdict) rather than judging on
// re-runs cut short.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "bench/runner/run_suite.h"
#include "harness/results_row.h"

namespace ptebench::cli {

struct Reruns {
  std::vector<std::vector<results::Row>> runs;  // each finished re-run's rows
  bool interrupted = false;  // Ctrl-C or SIGTERM (here or in a re-run: its exit 130)
};

// The rows of each of `processes` fresh runs of the cases named (results::case_name) with the
// night's configuration. A process that fails is logged and left out (its rows are not used); an
// interrupted one ends the re-runs (Reruns::interrupted).
Reruns rerun_cases(const RunConfig& night, const std::vector<std::string>& case_names,
                   std::size_t processes);

// The `ptebench run` arguments of a re-run: exposed for tests.
std::vector<std::string> rerun_args(const RunConfig& night,
                                    const std::vector<std::string>& case_names,
                                    const std::string& out);

}  // namespace ptebench::cli
