// ptebench compare BASE NEW | compare RUN --between column=a,b: one verdict per (case, metric).
// Exit 0 without a regression, 1 with at least one, 2 on bad input.
#include <iostream>

#include "bench/cli/commands.h"
#include "bench/cli/compare_flags.h"
#include "harness/input_error.h"
#include "harness/report.h"
#include "harness/results_reader.h"

namespace ptebench::cli {
namespace {

// Feeds every row of `path` to `add`. The collector refuses a row only for its unit (a case and
// metric with two units); the refusal is bad input at that row, so it names the file, the line
// and the unit column. A file with no rows is refused: a header-only baseline would otherwise
// compare nothing and pass.
template <class Add>
void scan_into(const std::string& path, Add&& add) {
  constexpr std::size_t kUnitColumn = 20;  // 1-based, results_row.h kColumns
  std::size_t rows = 0;
  results::scan_unique_results(path, [&](const results::Row& r, std::size_t line) {
    ++rows;
    try {
      add(r);
    } catch (const InputError& e) {
      throw InputError(path + ":" + std::to_string(line) + ":" + std::to_string(kUnitColumn) +
                       ": " + e.what());
    }
  });
  if (rows == 0) throw InputError(path + ": no rows (header only): nothing to compare");
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
    scan_into(files[0], [&](const results::Row& r) { collector.add(r); });
  } else {
    scan_into(files[0], [&](const results::Row& r) { collector.add_base(r); });
    scan_into(files[1], [&](const results::Row& r) { collector.add_new(r); });
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
