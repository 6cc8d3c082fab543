#include "bench/cli/run_flags.h"

namespace ptebench::cli {

void add_run_flags(FlagParser& flags, RunConfig& cfg, bool with_suite) {
  if (with_suite) flags.add_string("suite", &cfg.suite, "quick | nightly | full (default quick)");
  flags.add_strings("filter", &cfg.filters, "glob over case names, repeatable (default: all)");
  flags.add_int("repetitions", &cfg.repetitions, 1, "repetitions per case (default: the suite's)");
  flags.add_string("out", &cfg.out,
                   "results CSV (default ptebench-results.csv; sidecar <out>.context.csv)");
  flags.add_strings("counters", &cfg.counters,
                    "libpfm4 event to count, repeatable (default: cycles, instructions, "
                    "branch-misses, L1D and dTLB read misses, and software events)");
  flags.add_strings("inject-slowdown", &cfg.slowdowns,
                    "GLOB=PCT: busy work worth PCT% of each matching case's time, repeatable");
  flags.add_string("codegen", &cfg.codegen,
                   "kernel | user | both: codegen profiles to run (default: the suite's)");
  flags.add_int("case-budget-ms", &cfg.case_budget_ms, 0,
                "wall time per case and repetition that calibrates a synthetic case's walks, "
                "at most the suite's fixed count; 0: the fixed count (default: the suite's)");
  flags.add_int("seed", &cfg.seed, 0, "layout seed (default 1)");
  flags.add_int("cpu", &cfg.cpu, 0, "CPU to pin to (default: the last allowed CPU)");
  flags.add_bool("no-pin", &cfg.no_pin, "do not pin to a CPU");
  flags.add_bool("no-table", &cfg.no_table, "do not print the variant table");
}

}  // namespace ptebench::cli
