// What `ptebench run` writes: the run's identity (the run-wide CSV columns and the context
// sidecar) and the results file committed atomically after every repetition.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/runner/run_suite.h"
#include "harness/results_row.h"
#include "harness/results_writer.h"
#include "harness/run_context.h"

namespace ptebench::cli {

struct RunIdentity {
  results::Row row;          // the run-wide columns filled in; case and measurement columns empty
  context::Entries context;  // the sidecar's keys, without the skips
  std::map<std::string, std::string> skipped;  // case name -> SKIP reason
  std::map<std::string, std::uint64_t> walks;  // case name -> calibrated walks per repetition
};

// The identity of a run of `cfg` (its suite, seed, slowdowns and --host), with what the run
// settled: the counters' scope, the CPU pinned to (-1: none), the case budget (0: none).
RunIdentity make_run_identity(const RunConfig& cfg, const std::string& counter_scope,
                              int pinned_cpu, std::int64_t case_budget_ms);

// The results CSV and its sidecar. The constructor checks that the destination can be written
// (InputError otherwise) without touching an existing file; commit() adds the rows of the
// repetitions finished since the last commit and replaces both files atomically.
class ResultsSink {
 public:
  explicit ResultsSink(const std::string& path);
  void commit(const std::vector<results::Row>& new_rows, const RunIdentity& identity);
  std::string path() const { return writer_.path().string(); }
  std::string context_path() const;

 private:
  results::ResultsWriter writer_;
};

}  // namespace ptebench::cli
