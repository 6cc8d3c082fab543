// ptebench compare BASE NEW | compare RUN --between column=a,b: one verdict per (case, metric).
// Exit 0 without a regression, 1 with at least one, 2 on bad input.
#include <iostream>

#include "bench/commands.h"
#include "bench/compare_flags.h"
#include "harness/atomic_file.h"
#include "harness/input_error.h"
#include "harness/junit.h"
#include "harness/report.h"
#include "harness/results_reader.h"

namespace ptebench::cli {

int cmd_compare(int argc, char** argv) {
  CompareFlags cfg;
  std::string between, junit_out;
  FlagParser flags("compare");
  flags.add_string("junit", &junit_out, "also write the verdicts as JUnit XML to FILE");
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
  resolve_compare_flags(cfg);
  const std::size_t want = cfg.options.between ? 1 : 2;
  if (files.size() != want)
    throw InputError(std::string("ptebench compare: expected ") +
                     (want == 1 ? "one results file with --between" : "two results files") +
                     ", got " + std::to_string(files.size()));
  // The renderer is chosen (and a bad --format refused) before any file is read.
  const auto reporter = report::make_comparison_reporter(cfg.format);
  compare::Collector collector(cfg.options);
  if (cfg.options.between) {
    results::scan_unique_results(files[0],
                                 [&](const results::Row& r, std::size_t) { collector.add(r); });
  } else {
    results::scan_unique_results(
        files[0], [&](const results::Row& r, std::size_t) { collector.add_base(r); });
    results::scan_unique_results(files[1],
                                 [&](const results::Row& r, std::size_t) { collector.add_new(r); });
  }
  compare::Comparison comparison = std::move(collector).finish();
  if (!cfg.options.between) {
    comparison.base_label = files[0];
    comparison.new_label = files[1];
  }
  reporter->write(std::cout, comparison);
  if (!junit_out.empty())
    write_file_atomically(junit_out, junit::to_junit(comparison, "ptebench compare"));
  return comparison.has_regression() ? 1 : 0;
}

}  // namespace ptebench::cli
