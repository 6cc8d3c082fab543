// ptebench ab --a CMD --b CMD: two builds of ptebench (any commands that accept ptebench run's
// flags) run interleaved, one repetition at a time, in ABBA order (A B, then B A, ...) so that a
// linear drift of the machine lands on both sides alike; the repetitions are merged per side and
// compared, A as the baseline and B as the new side. With --duet (bench/cli/ab_duet.h) A and B
// run at the same moment on two CPUs instead, and repetition i of A is compared with repetition i
// of B as a pair (harness/paired.h).
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>

#include "bench/cli/ab_duet.h"
#include "bench/cli/ab_wide.h"
#include "bench/cli/commands.h"
#include "bench/cli/compare_flags.h"
#include "bench/cli/run_flags.h"
#include "bench/runner/duet_sync.h"
#include "bench/runner/interrupt_guard.h"
#include "harness/atomic_file.h"
#include "harness/input_error.h"
#include "harness/junit.h"
#include "harness/log.h"
#include "harness/paired.h"
#include "harness/process.h"
#include "harness/report.h"
#include "harness/results_reader.h"
#include "harness/results_writer.h"

namespace ptebench::cli {
namespace {

struct AbConfig {
  std::string a, b;
  std::string suite = "quick";
  std::vector<std::string> filters;
  std::int64_t repetitions = 20;      // see the help text
  std::int64_t max_repetitions = 60;  // see wide_cases
  std::string out = "ab.csv";
  std::vector<std::string> run_args;  // passed to both sides' `run`
  bool duet = false;
  CompareFlags compare;
};

// What the sides wrote to stderr, each distinct line once: every process of a side says the
// same things (a counter this machine cannot count, a native case it cannot run), and 2 x 20
// processes would say them 40 times.
class OnceLines {
 public:
  void operator()(std::string_view line) {
    if (!seen_.emplace(line).second) return;
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  std::set<std::string, std::less<>> seen_;
};

// The arguments of one side's `run` of one repetition into `path`: the cases of cfg.filters, or
// those of `only` when it is not empty.
std::vector<std::string> side_args(const AbConfig& cfg, const std::string& path,
                                   const std::vector<std::string>& only = {}) {
  std::vector<std::string> args = {"run", "--suite", cfg.suite, "--repetitions",
                                   "1",   "--out",   path,      "--no-table"};
  for (const std::string& f : only.empty() ? cfg.filters : only) {
    args.push_back("--filter");
    args.push_back(f);
  }
  args.insert(args.end(), cfg.run_args.begin(), cfg.run_args.end());
  return args;
}

// Ctrl-C or SIGTERM during the repetitions: the sides running were passed the signal
// (InterruptGuard) and have stopped; ab compares and writes nothing.
struct Interrupted {};

void check_status(const std::string& label, const std::string& command, int status,
                  const InterruptGuard& guard) {
  if (guard.interrupted(status)) throw Interrupted{};
  if (status != 0)
    throw InputError("ptebench ab: side " + label + " ('" + command + " run ...') exited with " +
                     "status " + std::to_string(status));
}

// One side's run of one repetition into `path`.
void run_side(const std::string& label, const std::string& command, const AbConfig& cfg,
              const std::string& path, const std::vector<std::string>& only,
              OnceLines& stderr_lines, const InterruptGuard& guard) {
  if (guard.raised()) throw Interrupted{};  // between the two sides of a repetition
  check_status(label, command,
               process::run_shell(command, side_args(cfg, path, only),
                                  [&](std::string_view line) { stderr_lines(line); }),
               guard);
}

// A and B of one repetition at once, each pinned to its CPU of the duet (ab_duet.h), meeting
// before each case through `sync_path` (bench/runner/duet_sync.h).
void run_duet(const AbConfig& cfg, const duet::Placement& where, const std::string& path_a,
              const std::string& path_b, const std::string& sync_path,
              const std::vector<std::string>& only, OnceLines& stderr_lines,
              const InterruptGuard& guard) {
  if (guard.raised()) throw Interrupted{};
  {
    std::ofstream sync(sync_path, std::ios::binary | std::ios::trunc);
    const char zeros[16] = {};
    sync.write(zeros, sizeof zeros);
    if (!sync.flush()) throw InputError("ptebench ab --duet: cannot write " + sync_path);
  }
  const std::string env = std::string(kDuetSyncEnv) + "=";
  const auto sink = [&](std::string_view line) { stderr_lines(line); };
  std::vector<std::string> args_a = side_args(cfg, path_a, only),
                           args_b = side_args(cfg, path_b, only);
  args_a.insert(args_a.end(), {"--cpu", std::to_string(where.cpu_a)});
  args_b.insert(args_b.end(), {"--cpu", std::to_string(where.cpu_b)});
  const process::ShellJob a{cfg.a, args_a, sink, {env + "0:" + sync_path}};
  const process::ShellJob b{cfg.b, args_b, sink, {env + "1:" + sync_path}};
  const std::vector<int> status =
      process::run_shells_together(where.a_first ? std::vector{a, b} : std::vector{b, a});
  check_status("A", cfg.a, status[where.a_first ? 0 : 1], guard);
  check_status("B", cfg.b, status[where.a_first ? 1 : 0], guard);
}

// The rows of one side's repetition, renumbered as repetition `rep` of the side's first run.
void merge(const std::string& path, int rep, std::vector<results::Row>& side) {
  std::vector<results::Row> rows = results::read_results(path);
  for (results::Row& r : rows) {
    if (!side.empty()) {
      r.run_id = side.front().run_id;
      r.started_utc = side.front().started_utc;
    }
    r.repetition = static_cast<std::uint32_t>(rep);
    side.push_back(std::move(r));
  }
}

std::string with_suffix(const std::string& out, const std::string& suffix) {
  std::filesystem::path p(out);
  std::string stem = p.stem().string();
  return (p.parent_path() / (stem + suffix + p.extension().string())).string();
}

}  // namespace

int cmd_ab(int argc, char** argv) {
  AbConfig cfg;
  std::string junit_out;
  FlagParser flags("ab");
  flags.add_string("junit", &junit_out, "also write the verdicts as JUnit XML to FILE");
  flags.add_string("a", &cfg.a, "command of side A (the baseline), e.g. 'old/bench/ptebench'");
  flags.add_string("b", &cfg.b, "command of side B (the new side)");
  add_suite_flag(flags, cfg.suite);
  flags.add_strings("filter", &cfg.filters, "glob over case names, repeatable");
  // 20: with 10 a side the smallest p-value (2/C(20,10)) adjusted over the quick suite's 444
  // rows is 0.0024 for a pair of rows, so any overlap of the two sides hides a 5% change; with
  // 20 there is room (measured: 10 missed an injected 5%, p 0.07; 20 found it, p 6e-9, 128 s).
  flags.add_int("repetitions", &cfg.repetitions, 1, "repetitions per side");
  flags.add_int("max-repetitions", &cfg.max_repetitions, 0,
                "more repetitions, up to this many a side, of the cases whose 95% interval is "
                "wider than --threshold after --repetitions (default 60; at most "
                "--repetitions: none)");
  flags.add_string("out", &cfg.out, "merged results: OUT-a.csv, OUT-b.csv");
  flags.add_strings("run-arg", &cfg.run_args, "extra argument for both sides' run, repeatable");
  flags.add_bool("duet", &cfg.duet,
                 "run A and B at the same moment on two CPUs (swapped every repetition) and "
                 "compare them pair by pair (Wilcoxon signed-rank); needs two CPUs");
  add_compare_flags(flags, cfg.compare);
  const auto positional = flags.parse(argc, argv, 2);
  if (flags.help_requested()) {
    std::cout << "usage: ptebench ab --a CMD --b CMD [flags]\n" << flags.usage();
    return 0;
  }
  if (!positional.empty())
    throw InputError("ptebench ab: unexpected argument '" + positional[0] + "'");
  if (cfg.a.empty() || cfg.b.empty()) throw InputError("ptebench ab: both --a and --b are needed");
  std::array<int, 2> cpus{};
  if (cfg.duet) {
    if (!cfg.compare.drift.empty() || !cfg.compare.unit.empty())
      throw InputError(
          "ptebench ab --duet: --drift and --unit do not apply: each pair's ratio cancels what "
          "the pair shared (harness/paired.h)");
    duet::check_run_args(cfg.run_args);
    cpus = duet::pick_cpus();
  }
  // The sides alternate repetition by repetition, so drift lands on both alike: only the
  // per-repetition factors (per process) are removed, and a common shift is B's own. (--duet
  // removes none: compare_paired, harness/paired.h.)
  resolve_compare_flags(cfg.compare, compare::Drift::repetition, compare::Unit::repetition,
                        compare::ThresholdOn::estimate);
  const auto reporter = report::make_comparison_reporter(cfg.compare.format, cfg.compare.all);
  const std::string out_a = with_suffix(cfg.out, "-a"), out_b = with_suffix(cfg.out, "-b");
  results::ResultsWriter check_a(out_a), check_b(out_b);  // writable, before anything runs

  const std::filesystem::path tmp =
      std::filesystem::temp_directory_path() / ("ptebench-ab-" + std::to_string(getpid()));
  std::filesystem::create_directories(tmp);
  std::vector<results::Row> rows_a, rows_b;
  OnceLines stderr_lines;
  // Until the repetitions are done: each side runs in a process group of its own, which Ctrl-C
  // or a SIGTERM sent to ab alone is passed on to, so no side is left running.
  std::optional<InterruptGuard> guard(std::in_place);
  std::string running;  // "repetition 3 of 20", for the line that says where ab was interrupted
  const auto compare_sides = [&] {
    return cfg.duet ? compare::compare_paired(rows_a, rows_b, cfg.compare.options)
                    : compare::compare(rows_a, rows_b, cfg.compare.options);
  };
  // Repetition `rep` of both sides: the cases of --filter, or those of `only`.
  const auto repetition = [&](int rep, const std::vector<std::string>& only, int of) {
    const std::string pa = (tmp / ("a-" + std::to_string(rep) + ".csv")).string();
    const std::string pb = (tmp / ("b-" + std::to_string(rep) + ".csv")).string();
    const std::string which = std::string(cfg.duet ? "ab duet repetition " : "ab repetition ") +
                              std::to_string(rep + 1) + " of " + std::to_string(of) +
                              (only.empty() ? "" : " (" + std::to_string(only.size()) + " cases)");
    running = "repetition " + std::to_string(rep + 1) + " of " + std::to_string(of);
    if (cfg.duet) {
      const duet::Placement where = duet::placement(cpus, static_cast<std::size_t>(rep));
      log_line(which + ": A on CPU " + std::to_string(where.cpu_a) + ", B on CPU " +
               std::to_string(where.cpu_b) +
               (where.a_first ? ", A started first" : ", B started first"));
      run_duet(cfg, where, pa, pb, (tmp / ("duet-" + std::to_string(rep) + ".sync")).string(), only,
               stderr_lines, *guard);
    } else if (rep % 2 == 0) {
      log_line(which + ": A then B");
      run_side("A", cfg.a, cfg, pa, only, stderr_lines, *guard);
      run_side("B", cfg.b, cfg, pb, only, stderr_lines, *guard);
    } else {
      log_line(which + ": B then A");
      run_side("B", cfg.b, cfg, pb, only, stderr_lines, *guard);
      run_side("A", cfg.a, cfg, pa, only, stderr_lines, *guard);
    }
    merge(pa, rep, rows_a);
    merge(pb, rep, rows_b);
  };
  compare::Comparison comparison;
  try {
    int done = 0;
    for (; done < cfg.repetitions; ++done) repetition(done, {}, static_cast<int>(cfg.repetitions));
    comparison = compare_sides();
    // More repetitions of the cases whose intervals are too wide to tell a change of the
    // threshold's size (wide_cases), in rounds of up to 10, until none is or the limit is met.
    // Those repetitions run only those cases: with 20 or fewer of them no repetition factor is
    // estimated there (harness/drift.h), and their values enter as measured.
    const int max = static_cast<int>(std::max(cfg.max_repetitions, cfg.repetitions));
    const double threshold = cfg.compare.options.threshold_pct;
    for (std::vector<std::string> wide = wide_cases(comparison, threshold);
         !wide.empty() && done < max; wide = wide_cases(comparison, threshold)) {
      const int round = std::min(10, max - done);
      log_line("ab: " + std::to_string(wide.size()) + (wide.size() == 1 ? " case" : " cases") +
               " with a 95% interval wider than " + results::format_double(threshold) +
               " points after " + std::to_string(done) + " repetitions: " + std::to_string(round) +
               " more of " + (wide.size() == 1 ? "it" : "them"));
      for (const int end = done + round; done < end; ++done) repetition(done, wide, max);
      comparison = compare_sides();
    }
  } catch (const Interrupted&) {
    std::filesystem::remove_all(tmp);
    log_line("ab interrupted during " + running + ": nothing compared, " + out_a + " and " + out_b +
             " left as they were");
    return 130;
  } catch (...) {
    std::filesystem::remove_all(tmp);
    throw;
  }
  guard.reset();
  std::filesystem::remove_all(tmp);
  results::write_results(out_a, rows_a);
  results::write_results(out_b, rows_b);
  comparison.base_label = "A: " + cfg.a;
  comparison.new_label = "B: " + cfg.b;
  // Which command is A and which B, and where their rows went: above a table or Markdown, on
  // stderr for CSV, so that stdout is the CSV alone (`ptebench ab --format csv > ab.csv`).
  std::ostream& sides = cfg.compare.format == "csv" ? std::cerr : std::cout;
  sides << "A (baseline): " << cfg.a << "  -> " << out_a << "\nB (new):      " << cfg.b << "  -> "
        << out_b << "\n";
  reporter->write(std::cout, comparison);
  if (!junit_out.empty())
    write_file_atomically(junit_out, junit::to_junit(comparison, "ptebench ab"));
  return comparison.has_regression() ? 1 : 0;
}

}  // namespace ptebench::cli
