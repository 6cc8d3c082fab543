// A Google Benchmark reporter that turns each finished run into results rows of schema
// ptebench-results/1 (Google Benchmark's own CSV reporter is deprecated and loses digits).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/cases.h"
#include "harness/results_row.h"

namespace ptebench::cli {

class ResultsReporter : public benchmark::BenchmarkReporter {
 public:
  // `identity` holds the run-wide columns (run_id ... suite) copied into every row; `units`
  // maps counter metrics to their unit; `on_case` is called after each case (for progress).
  ResultsReporter(results::Row identity, const std::map<std::string, const CaseSpec*>& cases,
                  const std::map<std::string, std::string>& units,
                  std::function<void(const std::string&)> on_case)
      : identity_(std::move(identity)),
        cases_(cases),
        units_(units),
        on_case_(std::move(on_case)) {}

  void set_repetition(int repetition) { repetition_ = repetition; }
  // false: no ns_per_pte row (the exact engine, bench/exact_engine.h, runs under Valgrind).
  void set_time_rows(bool on) { time_rows_ = on; }
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override;

  // Rows of every case reported since the last take, and whether any run was interrupted.
  std::vector<results::Row> take_rows();
  bool saw_error() const { return saw_error_; }

 private:
  results::Row identity_;
  const std::map<std::string, const CaseSpec*>& cases_;
  const std::map<std::string, std::string>& units_;
  std::function<void(const std::string&)> on_case_;
  int repetition_ = 0;
  std::vector<results::Row> rows_;
  bool saw_error_ = false;
  bool time_rows_ = true;
};

}  // namespace ptebench::cli
