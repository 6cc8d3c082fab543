// ptebench nightly --history FILE [--baseline FILE]: run the nightly suite, judge it against the
// history's recent nights (harness/nightly_judge.h: nights are the replicates; suspects re-run in
// fresh processes, bench/runner/nightly_reruns.h; an alarm only for a change confirmed over
// nights), append the run to the history (one transaction: a crash loses nothing already there),
// compare the exact counts with the baseline, write a Markdown and an HTML report beside the
// results CSV, and exit 1 only for a confirmed regression or an exact-count regression.
// --update-baseline makes this run the baseline: the nights before it stop being the reference.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "bench/cli/commands.h"
#include "bench/cli/compare_flags.h"
#include "bench/cli/run_flags.h"
#include "bench/runner/exact_nightly.h"
#include "bench/runner/nightly_remeasure.h"
#include "bench/runner/nightly_reruns.h"
#include "bench/runner/run_suite.h"
#include "bench/runner/same_code_probe.h"
#include "harness/atomic_file.h"
#include "harness/history_store.h"
#include "harness/history_window.h"
#include "harness/html_report.h"
#include "harness/input_error.h"
#include "harness/junit.h"
#include "harness/log.h"
#include "harness/night_series.h"
#include "harness/nightly_report.h"
#include "harness/report.h"
#include "harness/rerun_levels.h"
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

namespace {

// The longest wait before a fresh measure of a noisy night (--remeasure-wait-s, an hour): up to
// --remeasure of them make one night, which has to end before the next.
constexpr std::int64_t kMaxRemeasureWaitS = 3600;

// The nights before tonight and tonight, judged (harness/nightly_judge.h), the suspects re-run
// in fresh processes before the final judgement.
struct NightOutcome {
  std::vector<nightly::CaseSeries> series;
  nightly::NightReport report;
  // Ctrl-C or SIGTERM during the re-runs: no judgement (bench/runner/nightly_reruns.h).
  bool interrupted = false;
};

NightOutcome judge_against_history(const RunConfig& run, const history::Window& window,
                                   const std::vector<results::Row>& tonight,
                                   const std::vector<std::string>& metrics,
                                   const nightly::JudgeOptions& options, std::size_t reruns,
                                   const std::string& since_run) {
  NightOutcome out;
  std::vector<const std::vector<results::Row>*> nights;
  for (const history::Night& n : window.nights) {
    nights.push_back(&n.rows);
    out.report.night_ids.push_back(n.run_id);
  }
  nights.push_back(&tonight);
  out.report.night_ids.push_back(tonight.front().run_id);
  out.report.since_run = since_run;
  out.report.options = options;
  out.series = nightly::build_series(nights, metrics, options.max_after, options.further_factors);
  // Last night's suspects, for replication (harness/nightly_judge.h).
  const std::vector<nightly::LastNightSuspect> last =
      nightly::last_night_suspects(nights, metrics, options, out.series);
  // Which of the nights stayed noisy (JudgeOptions::noisy_bound).
  const std::vector<double> night_nulls = nightly::night_nulls(nights, metrics, options);
  // Before any alarm or reported change: suspects and would-be confirmed changes (regressions and
  // improvements), re-run in fresh processes (harness/rerun_levels.h).
  const auto measure = [&](const std::vector<std::size_t>& candidates)
      -> std::optional<std::vector<std::vector<results::Row>>> {
    if (reruns == 0) return std::vector<std::vector<results::Row>>{};
    // A re-run runs minutes after tonight's run, in that moment's machine state: its common
    // factor is its own, from control cases of each candidate's size that it measures too.
    const std::vector<std::size_t> controls = nightly::rerun_controls(
        out.series, candidates, options.min_history, options.rerun_factor_by_size);
    std::set<std::string> names;
    for (const std::size_t c : candidates) names.insert(results::case_name(out.series[c].key));
    std::map<std::uint64_t, std::size_t> of_size;  // controls by entries walked
    for (const std::size_t c : controls) {
      names.insert(results::case_name(out.series[c].key));
      ++of_size[out.series[c].key.ptes];
    }
    std::string sizes;
    for (const auto& [ptes, count] : of_size)
      sizes += (sizes.empty() ? ": " : ", ") + std::to_string(count) + " of " +
               std::to_string(ptes) + " entries";
    // Suspects and would-be confirmed changes alike: none is decided before its re-runs.
    log_line(std::to_string(candidates.size()) + " case" + (candidates.size() == 1 ? "" : "s") +
             " not yet decided (suspects and would-be changes): re-running them in " +
             std::to_string(reruns) + " fresh processes (with " + std::to_string(controls.size()) +
             " control cases" + sizes + ")");
    Reruns done = rerun_cases(run, {names.begin(), names.end()}, reruns);
    if (done.interrupted) return std::nullopt;
    return std::move(done.runs);
  };
  const nightly::RerunJudgement judged =
      nightly::judge_with_reruns(out.series, options, last, night_nulls, measure);
  if (judged.interrupted) {
    out.interrupted = true;
    return out;
  }
  out.report.night = judged.night;
  out.report.rerun_processes = judged.processes;
  out.report.rerun_cases = judged.cases;
  for (std::size_t c = 0; c < out.series.size(); ++c)
    out.report.cases.push_back({&out.series[c], out.report.night.cases[c], judged.levels[c]});
  nightly::judge_whole_run(out.report, out.series, metrics.front());  // the first metric judged
  return out;
}

// Tonight's rows into the history: one transaction, each run (the timed one, the exact pass's)
// with its own context sidecar: `outs` maps a run_id to the results file it was written to.
void append_night(const std::string& history, const std::vector<results::Row>& rows,
                  const std::map<std::string, std::string>& outs, const std::string& where) {
  if (!history::is_store_location(history)) {
    results::append_results(history, rows);
    return;
  }
  std::map<std::string, context::Entries> contexts;
  for (const auto& [run_id, out] : outs) {
    const auto sidecar = context::context_path(out);
    if (std::filesystem::exists(sidecar)) contexts.emplace(run_id, context::read_context(sidecar));
  }
  history::append_runs(*history::open_store(history), rows, contexts, where);
}

}  // namespace

int cmd_nightly(int argc, char** argv) {
  RunConfig run;
  run.suite = "nightly";
  run.out = "results/nightly.csv";
  std::string baseline, history;
  std::string junit_out;
  bool update_baseline = false;
  bool no_exact = false;  // bench/runner/exact_nightly.h
  nightly::JudgeOptions judge;
  std::int64_t window_nights = 20, min_history = static_cast<std::int64_t>(judge.min_history);
  std::int64_t reruns = 3;
  std::int64_t remeasure = 4;  // bench/runner/nightly_remeasure.h
  std::int64_t remeasure_wait_s = 30;
  double noisy_null = judge.noisy_bound;
  std::int64_t report_nights = 60;
  CompareFlags cmp;
  FlagParser flags("nightly");
  flags.add_string("history", &history,
                   "history the run is judged against and appended to: a CSV, a .db (SQLite) or "
                   "postgresql://... (required)");
  flags.add_string("baseline", &baseline,
                   "baseline results CSV: the exact counts are compared with it, and the "
                   "history window starts at its run (optional)");
  flags.add_string("junit", &junit_out, "also write the verdicts as JUnit XML to FILE");
  flags.add_bool("update-baseline", &update_baseline,
                 "make this run the baseline: from the next night on the nights before it are "
                 "no longer the reference (accepts a change; not for every night)");
  flags.add_bool("no-exact", &no_exact, "no exact pass (--engine valgrind) where no PMU counts");
  flags.add_int("window", &window_nights, 2, "nights of the history judged against");
  flags.add_int("min-history", &min_history, 2, "nights needed before anything is judged");
  flags.add_int("reruns", &reruns, 0, "fresh processes suspects are re-run in before deciding");
  flags.add_int("remeasure", &remeasure, 0,
                "fresh runs of the whole night, one at a time while tonight's run is noisy (its "
                "one-night null widened above --noisy-null); the calmest is the night");
  flags.add_int("remeasure-wait-s", &remeasure_wait_s, 0,
                "seconds waited before each fresh run of a noisy night (a disturbed state of the "
                "machine can last minutes; at most 3600)",
                kMaxRemeasureWaitS);
  flags.add_double("noisy-null", &noisy_null,
                   "widening of the one-night split's empirical null above which a night is "
                   "measured again, and the night after one that stayed noisy is not a night a "
                   "change is confirmed on");
  flags.add_double("replicate-alpha", &judge.replicate_alpha,
                   "level at which tonight's run alone confirms a suspect of last night, "
                   "Bonferroni over last night's suspects (0: off)");
  std::int64_t factors = static_cast<std::int64_t>(judge.further_factors);
  flags.add_int("factors", &factors, 0,
                "factors of the machine's state removed after the first common factor "
                "(harness/factor_model.h; 0: the first only)");
  flags.add_int("report-nights", &report_nights, 1, "nights of the history the HTML report draws");
  add_run_flags(flags, run);
  add_compare_flags(flags, cmp);
  const auto positional = flags.parse(argc, argv, 2);
  if (flags.help_requested()) {
    std::cout << "usage: ptebench nightly --history FILE [--baseline FILE] [flags]\n"
              << flags.usage();
    return 0;
  }
  if (!positional.empty())
    throw InputError("ptebench nightly: unexpected argument '" + positional[0] + "'");
  if (history.empty()) throw InputError("ptebench nightly: --history is needed");
  if (update_baseline && baseline.empty())
    throw InputError("ptebench nightly: --update-baseline needs --baseline FILE");
  if (min_history >= window_nights)
    throw InputError("ptebench nightly: --min-history " + std::to_string(min_history) +
                     " must be below --window " + std::to_string(window_nights));
  if (!(noisy_null >= 1))
    throw InputError(
        "ptebench nightly: --noisy-null must be at least 1 (a null only widens), got " +
        results::format_double(noisy_null));
  if (!(judge.replicate_alpha >= 0 && judge.replicate_alpha < 1))
    throw InputError("ptebench nightly: --replicate-alpha must be in [0, 1), got " +
                     results::format_double(judge.replicate_alpha));
  resolve_compare_flags(cmp);
  judge.min_history = static_cast<std::size_t>(min_history);
  judge.further_factors = static_cast<std::size_t>(factors);
  judge.window = static_cast<std::size_t>(window_nights);
  judge.threshold_pct = cmp.options.threshold_pct;
  judge.noisy_bound = noisy_null;
  const std::vector<std::string> judged_metrics =
      cmp.options.metrics.empty() ? std::vector<std::string>{"ns_per_pte"} : cmp.options.metrics;
  const auto md = report::make_comparison_reporter("md");
  const auto terminal = report::make_comparison_reporter(cmp.format);

  // Bad inputs are refused before the (long) run: a malformed baseline or history.
  std::vector<results::Row> base_rows;
  bool have_baseline = !baseline.empty() && std::filesystem::exists(baseline);
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
  // The cheap checks now (a foreign or newer database); the whole-file check of a SQLite history
  // (seconds for 10 M rows) runs before the night is appended (history_store.h, IntegrityCheck).
  if (history_db)
    history::open_store(history, history::IntegrityCheck::before_first_write);
  else if (std::filesystem::exists(history))
    results::scan_unique_results(history, [](const results::Row&, std::size_t) {});
  if (!baseline.empty() && !have_baseline && !update_baseline)
    log_line("no baseline at " + baseline + " yet: exact counts not compared (--update-baseline)");

  RunOutcome outcome = run_suite(run);
  exact::add_nightly_pass(run, no_exact, outcome);  // bench/runner/exact_nightly.h
  if (const auto stop = nightly_stop(outcome)) {
    log_line(stop->message);
    return stop->status;
  }
  // Tonight's timed run: the rows of the first run_id (the exact pass's follow).
  std::vector<results::Row> tonight, exact_rows;
  for (const results::Row& r : outcome.rows)
    (r.run_id == outcome.rows.front().run_id ? tonight : exact_rows).push_back(r);

  history::WindowQuery query;
  query.host = tonight.front().host;
  query.suite = tonight.front().suite;
  query.nights = judge.window;
  for (const results::Row& r : base_rows) query.since.insert(r.run_id);
  const history::Window window = history::read_window(history, query);
  const std::string since_run =
      window.since_found && !window.nights.empty() ? window.nights.front().run_id : "";

  // A noisy run is measured again, the calmest is the night (bench/runner/nightly_remeasure.h):
  // what is judged, appended to the history and left at OUT.
  const auto null_of = [&](const std::vector<results::Row>& rows) {
    std::vector<const std::vector<results::Row>*> nights;
    for (const history::Night& n : window.nights) nights.push_back(&n.rows);
    nights.push_back(&rows);
    return nightly::tonight_null_scale(nights, judged_metrics, judge);
  };
  NightMeasures measures =
      measure_until_calm(run, std::move(tonight), null_of, static_cast<std::size_t>(remeasure),
                         noisy_null, std::chrono::seconds{remeasure_wait_s});
  if (measures.interrupted) {
    log_line(
        "nightly interrupted during the night's measures: history and baseline left as they were "
        "(tonight's first run stays at " +
        run.out + ", the measures taken since at <out>.remeasure<k>.csv)");
    return 130;
  }
  settle_measures(run, measures);
  tonight = measures.measures[measures.chosen].rows;
  outcome.rows = tonight;
  outcome.rows.insert(outcome.rows.end(), exact_rows.begin(), exact_rows.end());
  const std::string tonight_id = tonight.front().run_id;
  if (measures.chosen != 0)
    log_line("the night is measure " + std::to_string(measures.chosen + 1) + ", run " + tonight_id +
             " (the calmest)");

  // The exact pass's rows follow the timed run's, under their own run_id
  // (bench/runner/exact_nightly.h), in <out>.exact.csv.
  std::map<std::string, std::string> outs = {{tonight_id, run.out}};
  for (const results::Row& r : outcome.rows) {
    if (r.run_id == tonight_id) continue;
    outs.emplace(r.run_id, std::filesystem::path(run.out).replace_extension(".exact.csv").string());
    break;
  }
  // Judged before it is appended: Ctrl-C during the suspects' re-runs leaves the history as it
  // was, as it does during the run and its measures.
  NightOutcome judged = judge_against_history(run, window, tonight, judged_metrics, judge,
                                              static_cast<std::size_t>(reruns), since_run);
  if (judged.interrupted) {
    log_line(
        "nightly interrupted during the suspects' re-runs: history and baseline left as they "
        "were (tonight's run stays at " +
        run.out + ")");
    return 130;
  }
  append_night(history, outcome.rows, outs, run.out);
  log_line("appended " + std::to_string(outcome.rows.size()) + " rows to " + history);
  for (const Measure& m : measures.measures) judged.report.measure_nulls.push_back(m.null_scale);
  judged.report.measure_chosen = measures.chosen;
  judged.report.noisy_bound = noisy_null;
  judged.report.measure_wait_s = measures.wait.count();
  judged.report.measures_set_aside = measures.set_aside;
  int status = judged.report.night.exit_code();

  std::filesystem::path report_path = std::filesystem::path(run.out).replace_extension(".md");
  std::ostringstream report;
  report << "# ptebench nightly: " << tonight_id << "\n\n"
         << "- suite: " << run.suite << ", " << outcome.repetitions_finished
         << " repetitions, kernel " << tonight.front().kernel << ", host " << tonight.front().host
         << " (" << tonight.front().arch << ")\n"
         << "- results: `" << run.out << "`, history: `" << history << "`\n\n";
  nightly::write_night_report(report, judged.report, true);
  nightly::write_night_report(std::cout, judged.report, false);
  std::vector<junit::TestCase> cases = nightly::testcases(judged.report);
  if (have_baseline) {
    compare::Comparison comparison = compare::compare(base_rows, outcome.rows, cmp.options);
    comparison.base_label = "baseline " + baseline;
    comparison.new_label = "this run";
    report << "## Against the baseline `" << baseline << "` (" << base_rows.front().run_id
           << ")\n\n";
    md->write(report, comparison);
    terminal->write(std::cout, comparison);
    // Exact counts decide against the baseline (harness/exact_verdict.h); timed rows of one run
    // a side are at most inconclusive there, the history judges them.
    if (comparison.has_regression()) status = 1;
    for (junit::TestCase& t : junit::testcases(comparison)) {
      const bool exact_row = std::any_of(
          comparison.rows.begin(), comparison.rows.end(), [&](const compare::ComparisonRow& r) {
            return r.exact && r.metric == t.name && results::case_name(r.key) == t.classname;
          });
      if (exact_row) cases.push_back(std::move(t));
    }
  }
  if (!junit_out.empty()) {
    std::ostringstream xml;
    junit::write_testcases(xml, cases, "ptebench nightly");
    write_file_atomically(junit_out, xml.str());
  }
  report << "\n## Variants in this run (ns and instructions per PTE)\n\n";
  const std::optional<codegen::SameCodeMap> same_code = probe_same_code();
  report::write_variant_table(report, outcome.rows, "md", {"ns_per_pte", "instructions_per_pte"},
                              same_code ? &*same_code : nullptr);
  write_file_atomically(report_path, report.str());
  log_line("report: " + report_path.string());
  // The history as a picture beside the Markdown (harness/html_report.h): the latest
  // --report-nights nights of this host and suite (tonight's included), read as the window is.
  // Flagged by tonight's judgement above, as the Markdown and the exit status are.
  html::ReportOptions pictures_options;
  html::set_judgement(pictures_options, judged.report);
  html::ReportBuilder pictures(pictures_options);
  history::WindowQuery pictured = query;
  pictured.nights = static_cast<std::size_t>(report_nights);
  pictured.since.clear();
  for (const history::Night& n : history::read_window(history, pictured).nights)
    for (const results::Row& r : n.rows) pictures.add(r);
  const auto html_path = std::filesystem::path(report_path).replace_extension(".html");
  write_file_atomically(html_path, pictures.html());
  log_line("history report: " + html_path.string());
  if (update_baseline) {
    results::write_results(baseline, outcome.rows);
    log_line("baseline " + baseline + " now holds run " + tonight_id +
             ": from the next night on, the history window starts at it");
  }
  return status;
}

}  // namespace ptebench::cli
