// ptebench compare BASE NEW | compare --base F... --new F... | compare RUN --between column=a,b:
// one verdict per (case, metric); --history F... adds past runs as the noise reference (those
// of the hosts the compared runs ran on: HistoryHosts).
// Exit 0 without a regression, 1 with at least one, 2 on bad input.
#include <algorithm>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/cli/commands.h"
#include "bench/cli/compare_flags.h"
#include "bench/cli/compare_heap.h"
#include "harness/atomic_file.h"
#include "harness/input_error.h"
#include "harness/junit.h"
#include "harness/log.h"
#include "harness/report.h"
#include "harness/results_table.h"

namespace ptebench::cli {
namespace {

// Every input file read into a results::RowTable (harness/results_table.h) when it is needed,
// in the order given, so the first bad file in that order is the one reported. While the caller
// reads and feeds file i, file i + 1 is read on a second thread when it is large enough for that
// to pay (kReadAheadBytes): at 2 x 1,000,000 rows reading is most of compare's time, and the two
// files are read on the two cores at once. Smaller files are read in the calling thread only:
// a thread costs more than it saves there, and under qemu-user (the arm64 CI, whose tests compare
// small files) an earlier reader on two threads hung before its first system call (b512522,
// cause not found). PTEBENCH_COMPARE_THREADS=1 reads every file in the calling thread.
class TableReader {
 public:
  static constexpr std::uintmax_t kReadAheadBytes = 4u << 20;

  explicit TableReader(std::vector<std::string> paths)
      : paths_(std::move(paths)),
        tables_(paths_.size()),
        errors_(paths_.size()),
        read_ahead_(compare::two_threads_allowed()) {}
  TableReader(const TableReader&) = delete;
  TableReader& operator=(const TableReader&) = delete;
  ~TableReader() {
    if (ahead_.joinable()) ahead_.join();
  }

  // The table of paths[i]; its memory is freed by release(i).
  const results::RowTable& get(std::size_t i) {
    if (ahead_.joinable() && ahead_index_ == i) {
      ahead_.join();
      if (errors_[i]) std::rethrow_exception(errors_[i]);
    }
    start_ahead(i + 1);  // before reading i: the two files are read at once
    if (!tables_[i]) tables_[i] = results::read_table(paths_[i]);
    return *tables_[i];
  }
  void release(std::size_t i) { tables_[i].reset(); }

 private:
  // Reads paths[i] on the second thread, if it is there, large and not read yet.
  void start_ahead(std::size_t i) {
    if (!read_ahead_ || i >= paths_.size() || tables_[i] || ahead_.joinable()) return;
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(paths_[i], ec);
    if (ec || size < kReadAheadBytes) return;  // small, or its error is the calling thread's
    ahead_index_ = i;
    ahead_ = std::thread([this, i] {
      try {
        tables_[i] = results::read_table(paths_[i]);
      } catch (...) {  // read_table reports bad input in the table; this is anything else
        errors_[i] = std::current_exception();
      }
    });
  }

  std::vector<std::string> paths_;
  std::vector<std::optional<results::RowTable>> tables_;
  std::vector<std::exception_ptr> errors_;
  bool read_ahead_;
  std::thread ahead_;
  std::size_t ahead_index_ = 0;
};

// Feeds every row of table `i` (paths[i]) to `add(table, row)`. The collector refuses a row only
// for its unit (a case and metric with two units); the refusal is bad input at that row, so it
// names the file, the line and the unit column. Then the file's own error, if reading stopped
// at one (after the rows before it, as a streaming read would). A file with no rows is
// refused: a header-only baseline would otherwise compare nothing and pass.
template <class Add>
void feed(TableReader& reader, std::size_t i, const std::string& path, Add&& add) {
  constexpr std::size_t kUnitColumn = 20;  // 1-based, results_row.h kColumns
  const results::RowTable& table = reader.get(i);
  for (std::size_t row = 0; row < table.rows.size(); ++row) {
    try {
      add(table, row);
    } catch (const InputError& e) {
      throw InputError(path + ":" + std::to_string(results::RowTable::line_of(row)) + ":" +
                       std::to_string(kUnitColumn) + ": " + e.what());
    }
  }
  if (table.error) std::rethrow_exception(table.error);
  if (table.rows.empty()) throw InputError(path + ": no rows (header only): nothing to compare");
  reader.release(i);
}

// The history's runs of the hosts the compared runs ran on: "past runs of this machine" (README,
// Comparing). A fleet's history holds other machines' runs too; at their own levels they would
// make the machines' difference look like run-to-run noise and widen every case's null.
class HistoryHosts {
 public:
  // The hosts of a side's table.
  void add_side(const results::RowTable& table) {
    for (const std::string& host : table.run_hosts) ++sides_[host];
  }
  // Which runs of a history table to keep (by run index), counted by host.
  std::vector<char> keep(const results::RowTable& table) {
    std::vector<char> keep(table.run_hosts.size());
    for (std::size_t r = 0; r < keep.size(); ++r) {
      const std::string& host = table.run_hosts[r];
      keep[r] = sides_.count(host) != 0;
      ++(keep[r] ? kept_ : left_)[host];
    }
    return keep;
  }
  // After the history: one line saying what was left out, or InputError when nothing is left.
  void report(const std::vector<std::string>& files) const {
    if (files.empty() || left_.empty()) return;
    std::string names;
    for (const std::string& f : files) names += (names.empty() ? "" : ", ") + f;
    if (kept_.empty()) {
      throw InputError("ptebench compare: --history " + names + ": no run of " + hosts(sides_) +
                       " (it has runs of " + hosts(left_) +
                       "): the noise reference is past runs of the compared machine "
                       "(`run --host` names a machine)");
    }
    log_line("--history " + names + ": the noise reference is " + count_runs(kept_) + " of " +
             hosts(kept_) + "; " + count_runs(left_) + " of other hosts left out (" + hosts(left_) +
             ")");
  }

 private:
  using ByHost = std::map<std::string, std::size_t>;  // runs by host
  static std::string hosts(const ByHost& by_host) {
    std::string text;
    for (const auto& [host, runs] : by_host) text += (text.empty() ? "host " : ", ") + host;
    return text;
  }
  static std::string count_runs(const ByHost& by_host) {
    std::size_t n = 0;
    for (const auto& [host, runs] : by_host) n += runs;
    return std::to_string(n) + (n == 1 ? " run" : " runs");
  }
  ByHost sides_, kept_, left_;
};

// The sizes of the inputs that exist, summed (a missing one is reported when it is read).
std::uintmax_t total_bytes(const std::vector<std::string>& paths) {
  std::uintmax_t total = 0;
  for (const std::string& path : paths) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec) total += size;
  }
  return total;
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
                    "noise reference (README, Comparing); its runs of other hosts are left out");
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
  // Every input, in the order read: the base files, the new, the history; or the one run.
  std::vector<std::string> paths = cfg.options.between ? files : base_files;
  if (!cfg.options.between) {
    paths.insert(paths.end(), new_files.begin(), new_files.end());
    paths.insert(paths.end(), history_files.begin(), history_files.end());
  }
  const std::uintmax_t input_bytes = total_bytes(paths);
  prepare_compare_heap(input_bytes);
  compare::Collector collector(cfg.options);
  if (cfg.options.between) {
    TableReader reader(paths);
    feed(reader, 0, paths[0],
         [&](const results::RowTable& t, std::size_t row) { collector.add(t, row); });
  } else {
    // Each file is its own input: a run is (file, run_id) (compare.h, Collector::next_input).
    TableReader reader(paths);
    HistoryHosts hosts;
    for (std::size_t i = 0; i < paths.size(); ++i) {
      if (i < base_files.size()) {
        hosts.add_side(reader.get(i));
        feed(reader, i, paths[i],
             [&](const results::RowTable& t, std::size_t row) { collector.add_base(t, row); });
      } else if (i < base_files.size() + new_files.size()) {
        hosts.add_side(reader.get(i));
        feed(reader, i, paths[i],
             [&](const results::RowTable& t, std::size_t row) { collector.add_new(t, row); });
      } else {
        const std::vector<char> keep = hosts.keep(reader.get(i));
        feed(reader, i, paths[i], [&](const results::RowTable& t, std::size_t row) {
          if (keep[t.rows[row].run]) collector.add_history(t, row);
        });
      }
      collector.next_input();
    }
    hosts.report(history_files);
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
