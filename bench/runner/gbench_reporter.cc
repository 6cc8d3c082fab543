#include "bench/runner/gbench_reporter.h"

namespace ptebench::cli {

void ResultsReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& run : runs) {
    if (run.run_type != Run::RT_Iteration) continue;
    // The registered name; benchmark_name() appends "/iterations:N/manual_time".
    const std::string& name = run.run_name.function_name;
    auto found = cases_.find(name);
    if (on_case_) on_case_(name);
    if (found == cases_.end()) continue;
    // Skipped, failed and interrupted cases measured nothing (their reason is logged where it
    // happened; an interruption ends the run).
    auto measured = measured_.find(name);
    if (run.error_occurred || measured == measured_.end()) continue;
    const CaseSpec& c = *found->second;
    results::Row row = identity_;
    row.workload = c.workload;
    row.pte_format = c.pte_format;
    row.variant = c.variant;
    row.layout = c.layout;
    row.codegen = c.codegen;
    row.ptes = c.ptes;
    row.repetition = static_cast<std::uint32_t>(repetition_);
    for (const metrics::Metric& m : metrics::per_pte_metrics(measured->second)) {
      row.metric = m.name;
      row.unit = m.unit;
      row.value = m.value;
      row.coverage = m.coverage;
      rows_.push_back(row);
    }
  }
}

std::vector<results::Row> ResultsReporter::take_rows() {
  std::vector<results::Row> out;
  out.swap(rows_);
  return out;
}

}  // namespace ptebench::cli
