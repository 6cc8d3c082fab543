// ptebench nightly --baseline FILE --history FILE: run the nightly suite, append the run to the
// history (atomically: a crash loses nothing already there), compare with the baseline, write a
// Markdown report beside the results CSV, and exit as `compare` does. --update-baseline promotes
// this run to be the baseline.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "bench/cli/commands.h"
#include "bench/cli/compare_flags.h"
#include "bench/cli/run_flags.h"
#include "bench/runner/exact_nightly.h"
#include "bench/runner/run_suite.h"
#include "bench/runner/same_code_probe.h"
#include "harness/atomic_file.h"
#include "harness/history_store.h"
#include "harness/html_report.h"
#include "harness/input_error.h"
#include "harness/junit.h"
#include "harness/log.h"
#include "harness/report.h"
#include "harness/results_reader.h"
#include "harness/results_writer.h"

namespace ptebench::cli {

std::optional<NightlyStop> nightly_stop(const RunOutcome& outcome) {
  if (outcome.interrupted)
    return NightlyStop{130, "nightly run interrupted: history and baseline left as they were"};
  // Every case was skipped (the machine lacks what they need; each SKIP was logged with its
  // reason): nothing measured is nothing to compare, and no interruption.
  if (outcome.rows.empty())
    return NightlyStop{0,
                       "nightly run measured nothing (every case skipped): history and "
                       "baseline left as they were"};
  return std::nullopt;
}

int cmd_nightly(int argc, char** argv) {
  RunConfig run;
  run.suite = "nightly";
  run.out = "results/nightly.csv";
  std::string baseline, history;
  std::string junit_out;
  bool update_baseline = false;
  bool no_exact = false;  // bench/runner/exact_nightly.h
  CompareFlags cmp;
  FlagParser flags("nightly");
  flags.add_string("baseline", &baseline, "baseline results CSV (compared against; required)");
  flags.add_string("history", &history,
                   "history the run is appended to: a CSV, a .db (SQLite) or postgresql://... "
                   "(required)");
  flags.add_string("junit", &junit_out, "also write the verdicts as JUnit XML to FILE");
  flags.add_bool("update-baseline", &update_baseline, "replace the baseline with this run");
  flags.add_bool("no-exact", &no_exact, "no exact pass (--engine valgrind) where no PMU counts");
  add_run_flags(flags, run);
  add_compare_flags(flags, cmp);
  const auto positional = flags.parse(argc, argv, 2);
  if (flags.help_requested()) {
    std::cout << "usage: ptebench nightly --baseline FILE --history FILE [flags]\n"
              << flags.usage();
    return 0;
  }
  if (!positional.empty())
    throw InputError("ptebench nightly: unexpected argument '" + positional[0] + "'");
  if (baseline.empty() || history.empty())
    throw InputError("ptebench nightly: both --baseline and --history are needed");
  resolve_compare_flags(cmp);
  const auto md = report::make_comparison_reporter("md");
  const auto terminal = report::make_comparison_reporter(cmp.format);

  // Bad inputs are refused before the (long) run: a malformed baseline or history.
  std::vector<results::Row> base_rows;
  bool have_baseline = std::filesystem::exists(baseline);
  if (have_baseline) base_rows = results::read_results(baseline);
  // A header-only baseline is a valid file that compares nothing: refused, or a broken baseline
  // would pass every night. --update-baseline replaces it.
  if (have_baseline && base_rows.empty()) {
    if (!update_baseline)
      throw InputError(baseline + ": no rows (header only): nothing to compare");
    have_baseline = false;
  }
  // A history database is checked now and opened again after the (long) run, so that no
  // server connection has to outlive it; a CSV history is only checked, not kept: streamed,
  // it costs a key per row, not the rows.
  const bool history_db = history::is_store_location(history);
  if (history_db)
    history::open_store(history);
  else if (std::filesystem::exists(history))
    results::scan_unique_results(history, [](const results::Row&, std::size_t) {});
  if (!have_baseline && !update_baseline)
    log_line("no baseline at " + baseline + " yet: nothing to compare (use --update-baseline)");

  RunOutcome outcome = run_suite(run);
  exact::add_nightly_pass(run, no_exact, outcome);  // bench/runner/exact_nightly.h
  if (const auto stop = nightly_stop(outcome)) {
    log_line(stop->message);
    return stop->status;
  }
  if (history_db) {
    const auto sidecar = context::context_path(run.out);
    history::append_run(
        *history::open_store(history), outcome.rows,
        std::filesystem::exists(sidecar) ? context::read_context(sidecar) : context::Entries{},
        run.out);
  } else {
    results::append_results(history, outcome.rows);
  }
  log_line("appended " + std::to_string(outcome.rows.size()) + " rows to " + history);

  int status = 0;
  std::filesystem::path report_path = std::filesystem::path(run.out).replace_extension(".md");
  std::ostringstream report;
  report << "# ptebench nightly: " << outcome.rows.front().run_id << "\n\n"
         << "- suite: " << run.suite << ", " << outcome.repetitions_finished
         << " repetitions, kernel " << outcome.rows.front().kernel << ", host "
         << outcome.rows.front().host << " (" << outcome.rows.front().arch << ")\n"
         << "- results: `" << run.out << "`, history: `" << history << "`\n";
  if (have_baseline) {
    compare::Comparison comparison = compare::compare(base_rows, outcome.rows, cmp.options);
    comparison.base_label = "baseline " + baseline;
    comparison.new_label = "this run";
    report << "- baseline: `" << baseline << "` (" << base_rows.front().run_id << ")\n\n";
    md->write(report, comparison);
    terminal->write(std::cout, comparison);
    status = comparison.has_regression() ? 1 : 0;
    if (!junit_out.empty())
      write_file_atomically(junit_out, junit::to_junit(comparison, "ptebench nightly"));
  } else {
    report << "\nNo baseline yet: nothing compared.\n";
  }
  report << "\n## Variants in this run (ns and instructions per PTE)\n\n";
  const std::optional<codegen::SameCodeMap> same_code = probe_same_code();
  report::write_variant_table(report, outcome.rows, "md", {"ns_per_pte", "instructions_per_pte"},
                              same_code ? &*same_code : nullptr);
  write_file_atomically(report_path, report.str());
  log_line("report: " + report_path.string());
  // The history as a picture beside the Markdown (harness/html_report.h).
  html::ReportBuilder pictures({});
  const auto add = [&](const results::Row& r, std::size_t) { pictures.add(r); };
  if (history_db)
    history::open_store(history)->scan(std::nullopt, add);
  else
    results::scan_results(history, add);
  const auto html_path = std::filesystem::path(report_path).replace_extension(".html");
  write_file_atomically(html_path, pictures.html());
  log_line("history report: " + html_path.string());
  if (update_baseline) {
    results::write_results(baseline, outcome.rows);
    log_line("baseline " + baseline + " now holds run " + outcome.rows.front().run_id);
  }
  return status;
}

}  // namespace ptebench::cli
