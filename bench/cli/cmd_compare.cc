// ptebench compare BASE NEW | compare --base F... --new F... | compare RUN --between column=a,b:
// one verdict per (case, metric); --history F... adds past runs as the noise reference.
// Exit 0 without a regression, 1 with at least one, 2 on bad input.
#include <iostream>

#include "bench/cli/commands.h"
#include "bench/cli/compare_flags.h"
#include "harness/atomic_file.h"
#include "harness/input_error.h"
#include "harness/junit.h"
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
  std::string junit_out;
  std::vector<std::string> base_files, new_files, history_files;
  FlagParser flags("compare");
  flags.add_string("junit", &junit_out, "also write the verdicts as JUnit XML to FILE");
  add_compare_flags(flags, cfg);
  flags.add_string("between", &between,
                   "column=base,new: compare two values of one column inside RUN");
  flags.add_strings("base", &base_files,
                    "a results file of the base side, repeatable: each run is a replicate");
  flags.add_strings("new", &new_files,
                    "a results file of the new side, repeatable: each run is a replicate");
  flags.add_strings("history", &history_files,
                    "a results file of past runs of this machine, repeatable: the run-to-run "
                    "noise reference (README, Comparing)");
  const auto files = flags.parse(argc, argv, 2);
  if (flags.help_requested()) {
    std::cout << "usage: ptebench compare BASE NEW [--history FILE]... [flags]\n"
                 "       ptebench compare --base FILE... --new FILE... [--history FILE]... "
                 "[flags]\n"
                 "       ptebench compare RUN --between variant=plain,read_once [flags]\n"
              << flags.usage();
    return 0;
  }
  if (!between.empty()) cfg.options.between = compare::parse_between(between);
  resolve_compare_flags(cfg);
  const bool sides_by_flag = !base_files.empty() || !new_files.empty();
  if (sides_by_flag &&
      (cfg.options.between || !files.empty() || base_files.empty() || new_files.empty()))
    throw InputError(
        "ptebench compare: --base and --new are given together, each at least once, without "
        "positional files or --between");
  if (cfg.options.between && !history_files.empty())
    throw InputError("ptebench compare: --history needs two sides, not --between");
  const std::size_t want = cfg.options.between ? 1 : 2;
  if (!sides_by_flag && files.size() != want)
    throw InputError(std::string("ptebench compare: expected ") +
                     (want == 1 ? "one results file with --between" : "two results files") +
                     ", got " + std::to_string(files.size()));
  if (!sides_by_flag && !cfg.options.between) {
    base_files = {files[0]};
    new_files = {files[1]};
  }
  // The renderer is chosen (and a bad --format refused) before any file is read.
  const auto reporter = report::make_comparison_reporter(cfg.format, cfg.all);
  compare::Collector collector(cfg.options);
  if (cfg.options.between) {
    scan_into(files[0], [&](const results::Row& r) { collector.add(r); });
  } else {
    // Each file is its own input: a run is (file, run_id) (compare.h, Collector::next_input).
    for (const std::string& f : base_files) {
      scan_into(f, [&](const results::Row& r) { collector.add_base(r); });
      collector.next_input();
    }
    for (const std::string& f : new_files) {
      scan_into(f, [&](const results::Row& r) { collector.add_new(r); });
      collector.next_input();
    }
    for (const std::string& f : history_files) {
      scan_into(f, [&](const results::Row& r) { collector.add_history(r); });
      collector.next_input();
    }
  }
  compare::Comparison comparison = std::move(collector).finish();
  if (!cfg.options.between) {
    const auto label = [](const std::vector<std::string>& names) {
      std::string text;
      for (const std::string& n : names) text += (text.empty() ? "" : " + ") + n;
      return text;
    };
    comparison.base_label = label(base_files);
    comparison.new_label = label(new_files);
  }
  reporter->write(std::cout, comparison);
  if (!junit_out.empty())
    write_file_atomically(junit_out, junit::to_junit(comparison, "ptebench compare"));
  return comparison.has_regression() ? 1 : 0;
}

}  // namespace ptebench::cli
