// `ptebench run --processes K`: the suite's repetitions spread over K fresh processes, run one
// after another, and merged into one run (one run_id, repetitions numbered across the processes).
//
// Why: a process's state stays with it for the whole run — where ASLR put its stacks and heap,
// which physical pages back them — and moves single cases by several percent, while its
// repetitions, interleaved and on fresh memory (workloads/fresh_memory.h), agree with each other
// (Mytkowicz et al., "Producing wrong data without doing anything obviously wrong!", ASPLOS 2009:
// layout is a per-process random effect). Kalibera & Jones ("Rigorous benchmarking in reasonable
// time", ISMM 2013) spend repetitions at the level with the variance: here the process. Seen on
// this VM (2026-12-03, nightly's re-runs: a night's process and three fresh processes of the same
// cases minutes later, each process's common factor removed): one night's process read a case
// -9.0% and another +6.1% where the three fresh processes agreed within 3.5%; over 97 such sets
// the process-to-process sd was 0.6-1.1% for the steady cases (1.75% for one). A case's level over
// K processes (the median of its repetitions pooled across them) averages K draws of that effect.
// What it did not do on this VM: nightly's nights. 16 clean quick nights with --processes 5 had a
// per-case night-to-night sd (common factor removed) 1.03x that of the first 16 one-process
// nights of each of two earlier checks (median over the 111 cases; quartiles 0.80x, 1.25x): night
// to night, the machine's state over minutes outweighs the process's. So nightly runs one process
// by default.
//
// Each process is this executable's `run` (PTEBENCH_EXE: run_args.h) with the same flags, its own
// share of the repetitions (they differ by at most one), into <out>.process<k>.csv, removed once
// merged. The merged sidecar is the first process's, with processes=K and, where the processes
// calibrated differently, each one's walks ("4 4 3").
#pragma once

#include "bench/runner/run_suite.h"

namespace ptebench::cli {

// The repetitions of each of `processes` processes for `repetitions` in all: as even as they
// can be, the first ones taking the remainder; never a process with none.
std::vector<int> repetitions_per_process(int repetitions, int processes);

// Runs cfg (cfg.processes > 1, the timer engine, `repetitions` resolved) as above and returns
// the merged outcome; OUT and its sidecar are written once, after the last process.
RunOutcome run_in_processes(const RunConfig& cfg, int repetitions);

// The merged run: the processes' rows under the first one's run_id and start, repetitions
// renumbered in order (exposed for tests).
std::vector<results::Row> merge_process_rows(const std::vector<std::vector<results::Row>>& runs);

}  // namespace ptebench::cli
