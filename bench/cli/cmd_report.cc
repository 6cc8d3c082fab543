// ptebench report --history DB|CSV --out report.html: the history of one host and suite (--host,
// --suite; the latest run's by default) as one self-contained HTML page (harness/html_report.h):
// trends with noise bands and change points, variant ratios over time, the latest run's
// distributions; flagged case groups first. With --judge, a group is flagged by nightly's
// judgement of the latest night of that host and suite (replayed as `ptebench history judge`
// does, without re-runs), not by the page's own band and change points.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bench/cli/commands.h"
#include "bench/cli/flags.h"
#include "harness/atomic_file.h"
#include "harness/history_store.h"
#include "harness/history_window.h"
#include "harness/html_report.h"
#include "harness/input_error.h"
#include "harness/log.h"
#include "harness/nightly_report.h"
#include "harness/results_reader.h"
#include "harness/run_choice.h"

namespace ptebench::cli {
namespace {

// A database's runs of the host and suite to draw (harness/run_choice.h, the rule a CSV's rows
// are drawn by), in the order stored; a run's samples are read only to see whether the latest
// candidates hold options.metric. Sets options.host and suite to the choice, and counts and
// names the other runs there (ReportOptions::unread_runs). With --host, only that host's runs are
// listed (Store::run_groups, then recent_runs per suite: the runs_by_host index), not a fleet's
// every run; there, two suites' runs of one start second are taken in suite order rather than
// the order stored.
std::vector<history::RunInfo> choose_runs(history::Store& store, html::ReportOptions& options) {
  std::vector<history::RunInfo> runs;
  std::vector<history::RunGroup> groups;
  if (!options.host.empty()) {
    groups = store.run_groups();
    for (const history::RunGroup& g : groups) {
      if (g.host != options.host || (!options.suite.empty() && g.suite != options.suite)) continue;
      // All of them, also those a writer adds meanwhile.
      std::vector<history::RunInfo> some =
          store.recent_runs(g.host, g.suite, std::numeric_limits<std::size_t>::max());
      runs.insert(runs.end(), std::make_move_iterator(some.begin()),
                  std::make_move_iterator(some.end()));
    }
  } else {
    runs = store.runs();
  }
  std::vector<html::RunHeader> headers;
  headers.reserve(runs.size());
  for (const history::RunInfo& r : runs) headers.push_back({r.started_utc, r.host, r.suite});
  const std::vector<std::size_t> order = html::start_order(headers);
  const std::optional<std::size_t> latest =
      html::latest_drawn(headers, order, options.host, options.suite, [&](std::size_t i) {
        bool holds = false;
        store.scan(runs[i].run_id, [&](const results::Row& row, std::size_t) {
          holds = holds || row.metric == options.metric;
        });
        return holds;
      });
  if (!latest && options.host.empty() && options.suite.empty())
    return {};  // no run holds the metric: nothing to draw, nothing left out
  if (latest) {
    options.host = runs[*latest].host;
    options.suite = runs[*latest].suite;
  }
  std::vector<history::RunInfo> chosen;
  html::LeftOut left_out;
  // Listed by host, the runs are those of its suites, each suite's in the order stored; the
  // runs not listed are counted from the groups.
  for (history::RunInfo& r : runs) {
    if (r.host == options.host && r.suite == options.suite) {
      chosen.push_back(std::move(r));
    } else if (groups.empty()) {
      left_out.add(r.host, r.suite);
    }
  }
  for (const history::RunGroup& g : groups)
    if (g.host != options.host || g.suite != options.suite) left_out.add(g.host, g.suite, g.runs);
  options.unread_runs += left_out.runs;
  options.unread_others.assign(left_out.others.begin(), left_out.others.end());
  return chosen;
}

}  // namespace

int cmd_report(int argc, char** argv) {
  std::string history, out = "report.html";
  html::ReportOptions options;
  bool judge = false;
  nightly::JudgeOptions judge_options;
  std::int64_t window = 20, min_history = static_cast<std::int64_t>(judge_options.min_history);
  FlagParser flags("report");
  flags.add_string("history", &history,
                   "history: a results CSV, a .db or postgresql://... (required)");
  flags.add_string("out", &out, "HTML file to write (default report.html)");
  flags.add_string("metric", &options.metric, "metric to plot (default ns_per_pte)");
  flags.add_string("title", &options.title, "page title");
  flags.add_string("host", &options.host,
                   "host whose runs are drawn (default: the latest run's; a fleet's history "
                   "holds several)");
  flags.add_string("suite", &options.suite,
                   "suite whose runs are drawn (default: the latest run's)");
  flags.add_bool("judge", &judge,
                 "flag by nightly's judgement of the latest night (as `history judge`)");
  flags.add_int("window", &window, 2, "with --judge: nights the latest is judged against");
  flags.add_int("min-history", &min_history, 2,
                "with --judge: nights needed before anything is judged");
  std::int64_t factors = static_cast<std::int64_t>(judge_options.further_factors);
  flags.add_int(
      "factors", &factors, 0,
      "with --judge: factors of the machine's state removed after the first common factor "
      "(harness/factor_model.h; 0: the first only)");
  const auto positional = flags.parse(argc, argv, 2);
  if (flags.help_requested()) {
    std::cout << "usage: ptebench report --history DB|CSV --out report.html [flags]\n"
              << flags.usage();
    return 0;
  }
  if (!positional.empty())
    throw InputError("ptebench report: unexpected argument '" + positional[0] + "'");
  if (history.empty()) throw InputError("ptebench report: --history is needed");
  if (min_history >= window)
    throw InputError("ptebench report: --min-history " + std::to_string(min_history) +
                     " must be below --window " + std::to_string(window));
  if (!history::is_postgres_location(history) && !std::filesystem::exists(history))
    throw InputError(history + ": no such history");
  if (judge) {
    judge_options.window = static_cast<std::size_t>(window);
    judge_options.min_history = static_cast<std::size_t>(min_history);
    judge_options.further_factors = static_cast<std::size_t>(factors);
    history::WindowQuery query;
    query.nights = judge_options.window + 1;
    query.timed_metric = options.metric;
    query.host = options.host;  // empty: the latest night's (history_window.h)
    query.suite = options.suite;
    const history::Window w = history::read_window(history, query);
    // The page draws the runs of the host and suite judged.
    if (!w.nights.empty() && !w.nights.back().rows.empty()) {
      options.host = w.nights.back().rows.front().host;
      options.suite = w.nights.back().rows.front().suite;
    }
    std::vector<const std::vector<results::Row>*> nights;
    std::vector<std::string> ids;
    for (const history::Night& n : w.nights) nights.push_back(&n.rows), ids.push_back(n.run_id);
    std::vector<nightly::CaseSeries> series;
    const nightly::NightReport judged =
        nightly::replay_night(nights, ids, options.metric, judge_options, series);
    html::set_judgement(options, judged);
    log_line("judged the latest night" + (ids.empty() ? std::string() : " " + ids.back()) + ": " +
             judged.night.headline());
  }
  // A database: the host and suite drawn are chosen from its runs table, and only their runs'
  // samples are read (a fleet's database holds every host's). A CSV is read whole.
  std::unique_ptr<history::Store> store;
  std::vector<history::RunInfo> drawn_runs;
  if (history::is_store_location(history)) {
    store = history::open_store(history);
    drawn_runs = choose_runs(*store, options);
  }
  html::ReportBuilder builder(options);
  std::size_t rows = 0;
  const auto sink = [&](const results::Row& r, std::size_t) {
    builder.add(r);
    ++rows;
  };
  if (store) {
    for (const history::RunInfo& run : drawn_runs) store->scan(run.run_id, sink);
  } else {
    results::scan_unique_results(history, sink);
  }
  const html::ReportBuilder::Drawn drawn = builder.drawn();
  if (drawn.runs == 0 && (!options.host.empty() || !options.suite.empty())) {
    std::string present;
    for (const std::string& o : drawn.others) present += (present.empty() ? "" : "; ") + o;
    throw InputError("ptebench report: --history " + history + " has no " + options.metric +
                     " runs of host " + (options.host.empty() ? "(any)" : options.host) +
                     ", suite " + (options.suite.empty() ? "(any)" : options.suite) +
                     (present.empty() ? "" : " (it has: " + present + ")"));
  }
  const std::string page = builder.html();
  write_file_atomically(out, page);
  log_line("report of " + std::to_string(drawn.runs) + (drawn.runs == 1 ? " run" : " runs") +
           " of host " + drawn.host + ", suite " + drawn.suite + " (" + std::to_string(rows) +
           " rows read): " + out + " (" + std::to_string(html::flagged_groups(page)) +
           " case groups flagged)");
  if (drawn.left_out > 0)
    log_line(std::to_string(drawn.left_out) + (drawn.left_out == 1 ? " run" : " runs") +
             " of other hosts or suites not drawn (--host, --suite choose)");
  return 0;
}

}  // namespace ptebench::cli
