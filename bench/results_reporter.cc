#include "bench/results_reporter.h"

#include <cmath>

namespace ptebench::cli {

void ResultsReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& run : runs) {
    if (run.run_type != Run::RT_Iteration) continue;
    // The registered name; benchmark_name() appends "/iterations:N/manual_time".
    const std::string& name = run.run_name.function_name;
    auto found = cases_.find(name);
    if (on_case_) on_case_(name);
    if (found == cases_.end()) continue;
    if (run.error_occurred) {
      // Skipped native cases are logged where they are skipped; an interruption ends the run.
      if (run.error_message == "interrupted") saw_error_ = true;
      continue;
    }
    const CaseSpec& c = *found->second;
    results::Row row = identity_;
    row.workload = c.workload;
    row.pte_format = c.pte_format;
    row.variant = c.variant;
    row.layout = c.layout;
    row.codegen = c.codegen;
    row.ptes = c.ptes;
    row.repetition = static_cast<std::uint32_t>(repetition_);
    const double walks = static_cast<double>(run.iterations);
    row.metric = "ns_per_pte";
    row.unit = "ns";
    row.value = run.real_accumulated_time * 1e9 / walks / static_cast<double>(c.ptes);
    row.coverage = 1.0;
    if (time_rows_) rows_.push_back(row);
    for (const auto& [key, counter] : run.counters) {
      if (key.find('@') != std::string::npos) continue;
      auto cov = run.counters.find(key + "@coverage");
      if (cov == run.counters.end() || !std::isfinite(counter.value)) continue;
      row.metric = key;
      auto unit = units_.find(key);
      row.unit = unit == units_.end() ? "events" : unit->second;
      row.value = counter.value;
      row.coverage = cov->second.value;
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
