// ptebench run: the benchmark matrix of a suite, interleaved by repetition, written to the
// results CSV (schema ptebench-results/1) and its context sidecar, then the variant table.
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>

#include <benchmark/benchmark.h>

#include "bench/matrix/cases.h"
#include "bench/runner/case_body.h"
#include "bench/runner/duet_sync.h"
#include "bench/runner/exact_engine.h"
#include "bench/runner/gbench_reporter.h"
#include "bench/runner/progress.h"
#include "bench/runner/results_sink.h"
#include "bench/runner/run_processes.h"
#include "bench/runner/run_suite.h"
#include "bench/runner/same_code_probe.h"
#include "bench/runner/slowdown.h"
#include "harness/input_error.h"
#include "harness/log.h"
#include "harness/report.h"
#include "harness/run_context.h"
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

// The counters: the defaults when none were asked for. Unknown names from the user are bad
// input (InputError); events the machine cannot count are dropped with one logged line each.
CounterSet make_counters(const std::vector<std::string>& events) {
  if (events.empty()) return CounterSet::create_default();
  try {
    validate_event_names(events);
  } catch (const InputError& e) {
    throw InputError(std::string("ptebench run: --counters: ") + e.what());
  }
  return CounterSet::create(events);
}

// The variant table of a run's rows (of instructions per PTE under the exact engine).
void write_table(const std::vector<results::Row>& rows, bool exact) {
  const std::optional<codegen::SameCodeMap> same_code = probe_same_code();
  report::write_variant_table(std::cout, rows, "table",
                              {exact ? "instructions_per_pte" : "ns_per_pte"},
                              same_code ? &*same_code : nullptr);
}

}  // namespace

RunOutcome run_suite(const RunConfig& cfg) {
  // The suite name was checked against the table when the flag was parsed.
  const SuiteSpec* suite = find_suite(cfg.suite);
  if (suite == nullptr) throw InputError("ptebench run: unknown suite '" + cfg.suite + "'");
  SuiteSpec chosen = *suite;
  switch (cfg.codegen) {
    case Codegen::suite:
      break;
    case Codegen::kernel:
      chosen.profiles = {SuiteProfile::kernel};
      break;
    case Codegen::user:
      chosen.profiles = {SuiteProfile::user};
      break;
    case Codegen::both:
      chosen.profiles = {SuiteProfile::kernel, SuiteProfile::user};
      break;
  }
  suite = &chosen;

  // Everything the user gave is validated before anything runs or is written.
  if (!cfg.host.empty() && !context::valid_host_name(cfg.host))
    throw InputError("ptebench run: --host '" + cfg.host +
                     "': a machine's name is 1 to 64 letters, digits, '.', '_' or '-'");
  RunSettings settings;
  for (const std::string& s : cfg.slowdowns) settings.slowdowns.push_back(parse_slowdown(s));
  const std::unique_ptr<DuetSync> duet = DuetSync::from_environment();  // ab --duet
  settings.duet = duet.get();
  const std::vector<CaseSpec> cases = expand_suite(*suite, cfg.filters);
  // The exact engine (bench/runner/exact_engine.h): the parent hands the run to a child under
  // Valgrind; the child counts the walks' instructions instead of timing them, with no perf
  // events (under Valgrind they would count Valgrind).
  exact::validate_engine(cfg);
  if (cfg.engine == Engine::valgrind && !exact::in_child())
    return exact::run_in_valgrind(cfg, cases);
  const int repetitions =
      cfg.repetitions > 0 ? static_cast<int>(cfg.repetitions) : suite->repetitions;
  // Spread over fresh processes (bench/runner/run_processes.h): each runs this function.
  if (cfg.processes > 1 && repetitions > 1) {
    RunOutcome outcome = run_in_processes(cfg, repetitions);
    if (!cfg.no_table && !outcome.rows.empty()) write_table(outcome.rows, false);
    return outcome;
  }
  const std::unique_ptr<exact::Session> exact_session = exact::child_session(cfg);
  CounterSet counters = exact_session ? CounterSet::create({}) : make_counters(cfg.counters);
  ResultsSink sink(cfg.out);

  const int cpu = cfg.no_pin ? -1 : pin_cpu(cfg.cpu);
  settings.counters = &counters;
  settings.seed = static_cast<std::uint64_t>(cfg.seed);
  settings.interrupted = &g_interrupted;
  // Under the exact engine a repetition is one counted walk: nothing to calibrate.
  settings.case_budget_ns =
      exact_session
          ? 0
          : (cfg.case_budget_ms >= 0 ? cfg.case_budget_ms : suite->case_budget_ms) * 1'000'000;
  settings.exact = exact_session.get();
  RunRecord record;
  std::signal(SIGINT, on_sigint);
  std::signal(SIGTERM, on_sigint);

  RunIdentity identity = make_run_identity(
      cfg, exact_session ? std::string("none (callgrind counts)") : counters.scope_name(), cpu,
      settings.case_budget_ns / 1'000'000);
  exact::add_context(exact_session.get(), identity.context);  // engine=...
  std::map<std::string, const CaseSpec*> by_name;
  for (const CaseSpec& c : cases) by_name[c.name()] = &c;
  Progress progress(cases.size() * static_cast<std::size_t>(repetitions));
  ResultsReporter reporter(identity.row, by_name, record.measured,
                           [&](const std::string& name) { progress.step(name); });

  // Google Benchmark sees no command line of ours; its own defaults are not used (every case
  // sets its iterations and manual time).
  int gb_argc = 1;
  char gb_name[] = "ptebench";
  char* gb_argv[] = {gb_name, nullptr};
  benchmark::Initialize(&gb_argc, gb_argv);

  // Walks per repetition, calibrated once before the first repetition (untimed). The variants
  // of a group run the same number, the smallest of theirs, so they are compared like for like.
  std::map<std::string, std::uint64_t> group_walks;
  for (const CaseSpec& c : cases) {
    const std::uint64_t walks = walks_for(c, settings, record);
    const auto [it, fresh] = group_walks.emplace(c.group(), walks);
    if (!fresh) it->second = std::min(it->second, walks);
  }
  for (auto& [name, walks] : record.walks) walks = group_walks.at(by_name.at(name)->group());

  std::vector<results::Row> all_rows;
  int finished = 0;
  for (int rep = 0; rep < repetitions && !g_interrupted.load(); ++rep) {
    // New physical pages for this repetition's walks, shared by the variants within it
    // (workloads/fresh_memory.h).
    release_parked_memory();
    benchmark::ClearRegisteredBenchmarks();
    for (const CaseSpec* c : interleaved_order(cases, rep)) {
      // Registration: one Google Benchmark benchmark per case, re-registered every repetition
      // so that the variants' order rotates (interleaved_order). The exact engine counts one
      // walk per repetition (its counts do not vary).
      const std::uint64_t walks = exact_session ? 1 : group_walks.at(c->group());
      benchmark::RegisterBenchmark(
          c->name().c_str(),
          [c, &settings, &record](benchmark::State& st) { run_case(st, *c, settings, record); })
          ->Iterations(static_cast<benchmark::IterationCount>(walks))
          ->UseManualTime()
          ->Unit(benchmark::kNanosecond);
    }
    reporter.set_repetition(rep);
    record.measured.clear();
    benchmark::RunSpecifiedBenchmarks(&reporter);
    if (g_interrupted.load() || record.saw_interrupt) break;  // a half repetition is dropped
    std::vector<results::Row> rows = reporter.take_rows();
    all_rows.insert(all_rows.end(), rows.begin(), rows.end());
    ++finished;
    identity.skipped = record.skipped;
    identity.walks = record.walks;
    exact::add_context(exact_session.get(), identity.context);  // the dumps' cache geometry
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
  std::fprintf(stderr, "ptebench: %d %s of %zu %s -> %s (+ %s)\n", finished,
               finished == 1 ? "repetition" : "repetitions", cases.size(),
               cases.size() == 1 ? "case" : "cases", sink.path().c_str(),
               sink.context_path().c_str());
  // Per workload: the median of each variant and the ratios read_once/plain and arch/plain (of
  // instructions per PTE under the exact engine, which has no time).
  // With each ratio's within-run interval and verdict, and a mark where the two variants are
  // the same machine code in this binary (one objdump of it, only when the table is printed).
  if (!cfg.no_table) write_table(all_rows, exact_session != nullptr);
  outcome.rows = std::move(all_rows);
  return outcome;
}

}  // namespace ptebench::cli
