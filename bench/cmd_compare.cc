// ptebench compare BASE NEW | compare RUN --between column=a,b: one verdict per (case, metric).
// Exit 0 without a regression, 1 with at least one, 2 on bad input.
#include <iostream>
#include <unordered_map>

#include "bench/commands.h"
#include "bench/compare_flags.h"
#include "harness/input_error.h"
#include "harness/report.h"
#include "harness/results_reader.h"

namespace ptebench::cli {
namespace {

// Streams `path` into `add`, refusing a duplicate row (same run_id, case, repetition and
// metric) as read_results() does — a duplicate would silently count twice. Only a compact key
// per row is kept, so two files of millions of rows stay cheap.
template <class Add>
void scan_unique(const std::string& path, Add&& add) {
  std::unordered_map<std::string, std::size_t> seen;
  results::scan_results(path, [&](const results::Row& r, std::size_t line) {
    std::string key = r.run_id + '\x1f' + results::case_name(results::case_key(r)) + '\x1f' +
                      std::to_string(r.repetition) + '\x1f' + r.metric;
    const auto [it, fresh] = seen.emplace(std::move(key), line);
    if (!fresh)
      throw InputError(path + ":" + std::to_string(line) +
                       ": duplicate row: same run_id, case, repetition and metric as line " +
                       std::to_string(it->second));
    add(r);
  });
}

}  // namespace

int cmd_compare(int argc, char** argv) {
  CompareFlags cfg;
  std::string between;
  FlagParser flags("compare");
  add_compare_flags(flags, cfg);
  flags.add_string("between", &between,
                   "column=base,new: compare two values of one column inside RUN");
  const auto files = flags.parse(argc, argv, 2);
  if (flags.help_requested()) {
    std::cout << "usage: ptebench compare BASE NEW [flags]\n"
                 "       ptebench compare RUN --between variant=plain,read_once [flags]\n"
              << flags.usage();
    return 0;
  }
  if (!between.empty()) cfg.options.between = compare::parse_between(between);
  const std::size_t want = cfg.options.between ? 1 : 2;
  if (files.size() != want)
    throw InputError(std::string("ptebench compare: expected ") +
                     (want == 1 ? "one results file with --between" : "two results files") +
                     ", got " + std::to_string(files.size()));
  // The renderer is chosen (and a bad --format refused) before any file is read.
  const auto reporter = report::make_comparison_reporter(cfg.format);
  compare::Collector collector(cfg.options);
  if (cfg.options.between) {
    scan_unique(files[0], [&](const results::Row& r) { collector.add(r); });
  } else {
    scan_unique(files[0], [&](const results::Row& r) { collector.add_base(r); });
    scan_unique(files[1], [&](const results::Row& r) { collector.add_new(r); });
  }
  compare::Comparison comparison = std::move(collector).finish();
  if (!cfg.options.between) {
    comparison.base_label = files[0];
    comparison.new_label = files[1];
  }
  reporter->write(std::cout, comparison);
  return comparison.has_regression() ? 1 : 0;
}

}  // namespace ptebench::cli
