// ptebench run: the benchmark matrix of a suite, interleaved by repetition, written to the
// results CSV (schema ptebench-results/1) and its context sidecar, then the variant table.
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <map>

#include <benchmark/benchmark.h>

#include "bench/case_bench.h"
#include "bench/cases.h"
#include "bench/flags.h"
#include "bench/progress.h"
#include "bench/results_reporter.h"
#include "bench/run_io.h"
#include "bench/run_suite.h"
#include "bench/slowdown.h"
#include "harness/input_error.h"
#include "harness/log.h"
#include "workloads/fresh_memory.h"

namespace ptebench::cli {
namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) {
  g_interrupted.store(true);
}

// Pins the process to one CPU so that the scheduler's migrations do not add noise; returns the
// CPU, or -1 (with a logged line) where that is not allowed.
int pin_cpu(std::int64_t wanted) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) return -1;
  int cpu = -1;
  for (int i = 0; i < CPU_SETSIZE; ++i)
    if (CPU_ISSET(i, &allowed) && (wanted < 0 || i == wanted)) cpu = i;
  if (cpu < 0)
    throw InputError("ptebench run: --cpu " + std::to_string(wanted) +
                     " is not a CPU this process may run on");
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  if (sched_setaffinity(0, sizeof(one), &one) != 0) {
    log_line("could not pin to CPU " + std::to_string(cpu) + "; running unpinned");
    return -1;
  }
  return cpu;
}

}  // namespace
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
  flags.add_int("seed", &cfg.seed, 0, "layout seed (default 1)");
  flags.add_int("cpu", &cfg.cpu, 0, "CPU to pin to (default: the last allowed CPU)");
  flags.add_bool("no-pin", &cfg.no_pin, "do not pin to a CPU");
  flags.add_bool("no-table", &cfg.no_table, "do not print the variant table");
}

RunOutcome run_suite(const RunConfig& cfg) {
  const SuiteSpec* suite = find_suite(cfg.suite);
  if (suite == nullptr)
    throw InputError("ptebench run: unknown suite '" + cfg.suite +
                     "' (known: quick, nightly, full)");
  SuiteSpec chosen = *suite;
  if (cfg.codegen == "both")
    chosen.profiles = {SuiteProfile::kernel, SuiteProfile::user};
  else if (cfg.codegen == "kernel")
    chosen.profiles = {SuiteProfile::kernel};
  else if (cfg.codegen == "user")
    chosen.profiles = {SuiteProfile::user};
  else if (!cfg.codegen.empty())
    throw InputError("ptebench run: unknown --codegen '" + cfg.codegen +
                     "' (known: kernel, user, both)");
  suite = &chosen;

  // Everything the user gave is validated before anything runs or is written.
  RunState state;
  for (const std::string& s : cfg.slowdowns) state.slowdowns.push_back(parse_slowdown(s));
  const std::vector<CaseSpec> cases = expand_suite(*suite, cfg.filters);
  const auto counters = make_case_counters(cfg.counters, !cfg.counters.empty());
  ResultsSink sink(cfg.out);
  const int repetitions =
      cfg.repetitions > 0 ? static_cast<int>(cfg.repetitions) : suite->repetitions;

  const int cpu = cfg.no_pin ? -1 : pin_cpu(cfg.cpu);
  state.counters = counters.get();
  state.seed = static_cast<std::uint64_t>(cfg.seed);
  state.interrupted = &g_interrupted;
  std::signal(SIGINT, on_sigint);
  std::signal(SIGTERM, on_sigint);

  RunIdentity identity = make_run_identity(cfg.suite, static_cast<std::uint64_t>(cfg.seed),
                                           counters->scope(), cpu, cfg.slowdowns);
  std::map<std::string, const CaseSpec*> by_name;
  for (const CaseSpec& c : cases) by_name[c.name()] = &c;
  Progress progress(cases.size() * static_cast<std::size_t>(repetitions));
  ResultsReporter reporter(identity.row, by_name, state.measured,
                           [&](const std::string& name) { progress.step(name); });

  // Google Benchmark sees no command line of ours; its own defaults are not used (every case
  // sets its iterations and manual time).
  int gb_argc = 1;
  char gb_name[] = "ptebench";
  char* gb_argv[] = {gb_name, nullptr};
  benchmark::Initialize(&gb_argc, gb_argv);

  std::vector<results::Row> all_rows;
  int finished = 0;
  for (int rep = 0; rep < repetitions && !g_interrupted.load(); ++rep) {
    // New physical pages for this repetition's walks, shared by the variants within it
    // (workloads/fresh_memory.h).
    release_parked_memory();
    benchmark::ClearRegisteredBenchmarks();
    for (const CaseSpec* c : interleaved_order(cases, rep)) {
      benchmark::RegisterBenchmark(c->name().c_str(),
                                   [c, &state](benchmark::State& st) { run_case(st, *c, state); })
          ->Iterations(static_cast<benchmark::IterationCount>(c->iterations))
          ->UseManualTime()
          ->Unit(benchmark::kNanosecond);
    }
    reporter.set_repetition(rep);
    state.measured.clear();
    benchmark::RunSpecifiedBenchmarks(&reporter);
    if (g_interrupted.load() || state.saw_interrupt) break;  // a half repetition is dropped
    std::vector<results::Row> rows = reporter.take_rows();
    all_rows.insert(all_rows.end(), rows.begin(), rows.end());
    ++finished;
    identity.skipped = state.skipped;
    sink.commit(rows, identity);  // atomically: an interrupted run keeps what finished
  }
  benchmark::Shutdown();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  RunOutcome outcome;
  outcome.repetitions_finished = finished;
  outcome.interrupted = g_interrupted.load();
  if (finished == 0) {
    log_line("interrupted before the first repetition finished; nothing written");
    return outcome;
  }
  std::fprintf(stderr, "ptebench: %d repetition(s) of %zu cases -> %s (+ %s)\n", finished,
               cases.size(), sink.path().c_str(), sink.context_path().c_str());
  if (!cfg.no_table) print_variant_table(all_rows);
  outcome.rows = std::move(all_rows);
  return outcome;
}

}  // namespace ptebench::cli
