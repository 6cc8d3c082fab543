// The `ptebench run` arguments that repeat a RunConfig in a child process: the exact engine's
// child under Valgrind (runner/exact_engine.h) and nightly's re-runs (runner/nightly_reruns.h).
// The inverse of cli/run_flags' add_run_flags: parsing these arguments gives `cfg` back (tested).
#pragma once

#include <string>
#include <vector>

#include "bench/runner/run_suite.h"

namespace ptebench::cli {

// "run" and a flag for every field of `cfg` a flag sets, those at their "the suite's" value
// (repetitions 0, case budget -1, codegen suite, cpu -1) left out.
std::vector<std::string> run_args(const RunConfig& cfg);

// The shell command that runs this executable for such a child: `exec` and PTEBENCH_EXE when set
// (tests run their children inside their own executable, and under an emulator when cross-built),
// else /proc/self/exe, quoted. `exec`: the shell becomes the command, so the child the parent
// waits for is the run itself, and a signal passed on to it (runner/interrupt_guard.h) is waited
// out while the run stops after its current repetition, instead of ending a shell at once and
// leaving the run to finish alone.
std::string self_command();

}  // namespace ptebench::cli
