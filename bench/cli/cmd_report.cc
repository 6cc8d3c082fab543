// ptebench report --history DB|CSV --out report.html: the history as one self-contained HTML
// page (harness/html_report.h): trends with noise bands and change points, variant ratios over
// time, the latest run's distributions; flagged case groups first.
#include <filesystem>
#include <iostream>
#include <string>

#include "bench/cli/commands.h"
#include "bench/cli/flags.h"
#include "harness/atomic_file.h"
#include "harness/history_store.h"
#include "harness/html_report.h"
#include "harness/input_error.h"
#include "harness/log.h"
#include "harness/results_reader.h"

namespace ptebench::cli {

int cmd_report(int argc, char** argv) {
  std::string history, out = "report.html";
  html::ReportOptions options;
  FlagParser flags("report");
  flags.add_string("history", &history,
                   "history: a results CSV, a .db or postgresql://... (required)");
  flags.add_string("out", &out, "HTML file to write (default report.html)");
  flags.add_string("metric", &options.metric, "metric to plot (default ns_per_pte)");
  flags.add_string("title", &options.title, "page title");
  const auto positional = flags.parse(argc, argv, 2);
  if (flags.help_requested()) {
    std::cout << "usage: ptebench report --history DB|CSV --out report.html [flags]\n"
              << flags.usage();
    return 0;
  }
  if (!positional.empty())
    throw InputError("ptebench report: unexpected argument '" + positional[0] + "'");
  if (history.empty()) throw InputError("ptebench report: --history is needed");
  html::ReportBuilder builder(options);
  std::size_t rows = 0;
  const auto sink = [&](const results::Row& r, std::size_t) {
    builder.add(r);
    ++rows;
  };
  if (history::is_store_location(history)) {
    if (!history::is_postgres_location(history) && !std::filesystem::exists(history))
      throw InputError(history + ": no such history");
    history::open_store(history)->scan(std::nullopt, sink);
  } else {
    results::scan_unique_results(history, sink);
  }
  write_file_atomically(out, builder.html());
  log_line("report of " + std::to_string(rows) + " rows: " + out + " (" +
           std::to_string(builder.flagged_groups()) + " case groups flagged)");
  return 0;
}

}  // namespace ptebench::cli
