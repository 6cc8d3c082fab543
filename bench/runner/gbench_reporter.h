// A Google Benchmark reporter that turns each finished case into results rows of schema
// ptebench-results/1: the case's measurement (recorded by the case body) through
// harness/metrics. No arithmetic here; Google Benchmark's numbers are not used.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/matrix/cases.h"
#include "harness/metrics.h"
#include "harness/results_row.h"

namespace ptebench::cli {

class ResultsReporter : public benchmark::BenchmarkReporter {
 public:
  // `identity` holds the run-wide columns (run_id ... suite) copied into every row; `measured`
  // is what the case bodies recorded (runner/case_body.h, RunRecord::measured); `on_case` is called
  // after each case (for progress).
  ResultsReporter(results::Row identity, const std::map<std::string, const CaseSpec*>& cases,
                  const std::map<std::string, metrics::Measurement>& measured,
                  std::function<void(const std::string&)> on_case)
      : identity_(std::move(identity)),
        cases_(cases),
        measured_(measured),
        on_case_(std::move(on_case)) {}

  void set_repetition(int repetition) { repetition_ = repetition; }
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override;

  // Rows of every case reported since the last take.
  std::vector<results::Row> take_rows();

 private:
  results::Row identity_;
  const std::map<std::string, const CaseSpec*>& cases_;
  const std::map<std::string, metrics::Measurement>& measured_;
  std::function<void(const std::string&)> on_case_;
  int repetition_ = 0;
  std::vector<results::Row> rows_;
};

}  // namespace ptebench::cli
