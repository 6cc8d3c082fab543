// The nightly's exact pass (issue 13): on a machine whose PMU cannot count instructions (most
// VMs), `ptebench nightly` adds a run of the exact engine (bench/runner/exact_engine.h) over the
// quick suite's synthetic cases, so that a change in the walkers' machine code or work is caught
// with no false alarm from noise. Its rows (another run_id; instructions_per_pte and the sim_*
// metrics, no time) join the night's rows: the history, the comparison with the baseline and the
// report carry them like any other. `--no-exact` turns it off. The quick suite, not the nightly
// one, because instructions per PTE hardly depend on the table's size while Valgrind's time
// does (the 1 Mi-entry walks would take most of an hour).
#pragma once

#include "bench/runner/run_suite.h"

namespace ptebench::cli::exact {

// Whether the machine's PMU counts instructions (the `instructions` default event opens).
bool pmu_counts_instructions();

// Runs the exact pass for the nightly configured by `nightly` unless `off` or the PMU counts
// instructions, and appends its rows to `outcome.rows` (the results go to
// <nightly out>.exact.csv). A SKIP of the engine or filters that match no quick case leave
// `outcome` as it was, with one logged line.
void add_nightly_pass(const RunConfig& nightly, bool off, RunOutcome& outcome);

}  // namespace ptebench::cli::exact
