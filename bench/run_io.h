// What `ptebench run` writes: the run's identity (the run-wide CSV columns and the context
// sidecar's keys), the results file committed atomically after every repetition, and the
// variant table printed at the end.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/results_row.h"

namespace ptebench::cli {

struct RunIdentity {
  results::Row row;  // run_id ... suite filled in; the case and measurement columns empty
  std::vector<std::pair<std::string, std::string>> context;  // sidecar key, value
  std::map<std::string, std::string> skipped;                // case name -> SKIP reason
};

RunIdentity make_run_identity(const std::string& suite, std::uint64_t seed,
                              const std::string& counter_scope, int pinned_cpu,
                              const std::vector<std::string>& slowdowns);

// The results CSV and its sidecar. The constructor checks that the destination can be written
// (InputError otherwise) without touching an existing file; commit() replaces both files
// atomically with everything finished so far.
class ResultsSink {
 public:
  explicit ResultsSink(std::string path);
  void commit(const std::vector<results::Row>& rows, const RunIdentity& identity);
  const std::string& path() const { return path_; }
  std::string context_path() const;

 private:
  std::string path_;
};

// Per workload: the median of each variant and the ratios read_once/plain and arch/plain.
void print_variant_table(const std::vector<results::Row>& rows);

}  // namespace ptebench::cli
