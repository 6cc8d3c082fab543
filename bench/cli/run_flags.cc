#include "bench/cli/run_flags.h"

#include <string>
#include <vector>

#include "bench/matrix/suites.h"

namespace ptebench::cli {

void add_suite_flag(FlagParser& flags, std::string& suite) {
  static const std::vector<FlagParser::Choice<std::string>> kSuites = [] {
    std::vector<FlagParser::Choice<std::string>> out;
    for (const SuiteSpec& s : suites()) out.push_back({s.name, std::string(s.name)});
    return out;
  }();
  flags.add_choice<std::string>("suite", &suite, kSuites, "suite to run");
}

void add_run_flags(FlagParser& flags, RunConfig& cfg) {
  static const FlagParser::Choice<Codegen> kCodegen[] = {
      {"kernel", Codegen::kernel}, {"user", Codegen::user}, {"both", Codegen::both}};
  static const FlagParser::Choice<Engine> kEngines[] = {{"timer", Engine::timer},
                                                        {"valgrind", Engine::valgrind}};
  add_suite_flag(flags, cfg.suite);
  flags.add_strings("filter", &cfg.filters, "glob over case names, repeatable (default: all)");
  flags.add_int("repetitions", &cfg.repetitions, 1, "repetitions per case (default: the suite's)");
  flags.add_string("out", &cfg.out, "results CSV; sidecar <out>.context.csv");
  flags.add_strings("counters", &cfg.counters,
                    "libpfm4 event to count, repeatable (default: cycles, instructions, "
                    "branch-misses, L1D and dTLB read misses, and software events)");
  flags.add_strings("inject-slowdown", &cfg.slowdowns,
                    "GLOB=PCT: busy work worth PCT% of each matching case's time, repeatable");
  flags.add_choice<Codegen>("codegen", &cfg.codegen, kCodegen,
                            "codegen profiles to run (default: the suite's)");
  flags.add_int("case-budget-ms", &cfg.case_budget_ms, 0,
                "wall time per case and repetition that calibrates a synthetic case's walks, "
                "at most the suite's fixed count; 0: the fixed count (default: the suite's)");
  flags.add_int("seed", &cfg.seed, 0, "layout seed");
  flags.add_int("cpu", &cfg.cpu, 0, "CPU to pin to (default: the last allowed CPU)");
  flags.add_bool("no-pin", &cfg.no_pin, "do not pin to a CPU");
  flags.add_bool("no-table", &cfg.no_table, "do not print the variant table");
  flags.add_int("processes", &cfg.processes, 1,
                "fresh processes the repetitions are spread over, one after another, merged "
                "into one run (bench/runner/run_processes.h)");
  flags.add_string("host", &cfg.host,
                   "the machine's name in the results, in place of uname's nodename (which the "
                   "sidecar keeps): a name that stays when the hostname does not, as in a "
                   "container; nightly's window and report go by it");
  flags.add_choice<Engine>("engine", &cfg.engine, kEngines,
                           "what measures a walk: the clock, or Valgrind counting its "
                           "instructions exactly (bench/runner/exact_engine.h)");
}

}  // namespace ptebench::cli
